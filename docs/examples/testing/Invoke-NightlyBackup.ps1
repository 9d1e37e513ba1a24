# A user's runbook function: back up Spanner databases and GaussDB instances, wait for all of them,
# and report one line per backup. about_BackupTools_Testing tests it two ways (Invoke-NightlyBackup.Tests.ps1):
# with BackupTools mocked, and end to end against the emulator.
function Invoke-NightlyBackup {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $Project,
        [Parameter(Mandatory)] [string] $Instance,
        [string[]] $Database = @(),
        [string[]] $GaussInstanceId = @(),
        # Any duration BackupTools takes: '14d', '2h', a number of seconds, a [timespan].
        $RetentionPeriod = '14d',
        $Timeout = '2h'
    )

    $started = @(
        foreach ($db in $Database) {
            New-SpannerBackup -Project $Project -Instance $Instance -Database $db -RetentionPeriod $RetentionPeriod -ErrorAction Continue
        }
        foreach ($id in $GaussInstanceId) {
            New-GaussBackup -InstanceId $id -ErrorAction Continue
        }
    )
    if ($started.Count -eq 0) { return }

    # -InputObject rather than the pipeline: one wait for all of them (and one call for a mock to count).
    Wait-BackupOperation -InputObject $started -Timeout $Timeout | ForEach-Object {
        if ($_ -is [BackupTools.Spanner.SpannerBackup]) {
            [pscustomobject]@{ Cloud = 'Spanner'; Source = $_.Database; Backup = $_.BackupId; State = $_.State; Expires = $_.ExpireTime }
        }
        else {
            [pscustomobject]@{ Cloud = 'GaussDB'; Source = $_.InstanceId; Backup = $_.Id; State = $_.Status; Expires = $null }
        }
    }
}
