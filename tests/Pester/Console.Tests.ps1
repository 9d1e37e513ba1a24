# What an operator sees and exports: table views at 80 and 120 columns, JSON and CSV, completion,
# and the module's types in a script's classes.
BeforeAll {
    Import-Module BackupTools
    $long = 'backup-07033b125fd94a8a96896f8bcfee6ddain07-20261202-161634-219'
    $now = [datetimeoffset]::UtcNow
    $samples = @{
        SpannerBackup = [BackupTools.Spanner.SpannerBackup]@{ BackupId = 'inventory-20261202-161634-219'; Database = 'inventory'; State = 'CREATING'; SizeBytes = 1234GB; CreateTime = $now; ExpireTime = $now.AddDays(366) }
        SpannerBackupOperation = [BackupTools.Spanner.SpannerBackupOperation]@{ BackupId = 'inventory-20261202-161634-219'; Database = 'inventory'; Done = $true; ProgressPercent = 100; StartTime = $now; EndTime = $now.AddMinutes(5) }
        GaussBackup = [BackupTools.Gauss.GaussBackup]@{ Id = '0123456789abcdef0123456789abcdefbr07'; Name = $long; InstanceId = '07033b125fd94a8a96896f8bcfee6ddain07'; Status = 'COMPLETED'; Type = 'manual'; SizeMb = 2048; BeginTime = $now; EndTime = $now.AddMinutes(3) }
        GaussJob = [BackupTools.Gauss.GaussJob]@{ Id = '2b6e5f0c-8a1d-4c3b-9e7f-1a2b3c4d5e6f'; Status = 'Running'; Process = 42; Created = $now; InstanceName = 'gauss-orders' }
        SpannerBackupSchedule = [BackupTools.Spanner.SpannerBackupSchedule]@{ ScheduleId = 'nightly-incremental-chains-for-reporting'; Database = 'inventory_analytics_eu'; CronText = '0 2/12 * * *'; BackupType = 'INCREMENTAL'; RetentionPeriod = [timespan]::FromDays(366) }
    }
    . $PSScriptRoot/ThisPwsh.ps1
    function Render($object, $width) {
        $PSStyle.OutputRendering = 'PlainText'
        @(($object | Format-Table | Out-String -Width $width) -split "`r?`n" | Where-Object { $_.Trim() })
    }
}

Describe 'Table views fit the console' {
    It '<_> fits 80 columns with every column shown' -ForEach @('SpannerBackup', 'SpannerBackupOperation', 'GaussBackup', 'GaussJob', 'SpannerBackupSchedule') {
        $lines = Render $samples[$_] 80
        $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 }
        $headers = (Get-FormatData -TypeName $samples[$_].GetType().FullName).FormatViewDefinition | Where-Object { $_.Control -is [System.Management.Automation.TableControl] } | ForEach-Object { $_.Control.Headers.Label }
        foreach ($h in $headers) { $lines[0] | Should -Match "\b$h\b" }
    }

    It 'the GaussDB view shows the whole Id that Remove-GaussBackup needs, at 80 and 120' {
        foreach ($w in 80, 120) {
            (Render $samples.GaussBackup $w)[2] | Should -Match '0123456789abcdef0123456789abcdefbr07'
        }
    }

    It 'the Spanner views keep Expires and Ended at 80 columns' {
        (Render $samples.SpannerBackup 80)[0] | Should -Match 'Expires'
        (Render $samples.SpannerBackupOperation 80)[0] | Should -Match 'Ended'
    }

    It 'at 120 columns the generated GaussDB name shows far enough to tell it apart' {
        (Render $samples.GaussBackup 120)[2] | Should -Match ([regex]::Escape($long.Substring(0, 40)))
    }
}

Describe 'Exports read well' {
    It 'ConvertTo-Json writes states and clouds as text, not numbers' {
        $json = $samples.SpannerBackupOperation | ConvertTo-Json -Depth 3 | ConvertFrom-Json
        $json.State | Should -Be 'Succeeded'
        $gauss = $samples.GaussBackup | ConvertTo-Json | ConvertFrom-Json
        $gauss.Status | Should -Be 'COMPLETED'
        $gauss.PSObject.Properties.Name | Should -Not -Contain 'State'
        ([BackupTools.Gauss.GaussJob]@{ Status = 'Failed' } | ConvertTo-Json | ConvertFrom-Json).PSObject.Properties.Name | Should -Not -Contain 'State'
    }

    It 'no output type of any cmdlet has an enum property (ConvertTo-Json would write a number)' {
        $types = Get-Command -Module BackupTools | ForEach-Object { $_.OutputType.Type } | Where-Object { $_ -and $_ -ne [void] } | Sort-Object FullName -Unique
        $types.Count | Should -BeGreaterThan 10
        $enums = foreach ($t in $types) {
            foreach ($p in $t.GetProperties()) {
                $type = [Nullable]::GetUnderlyingType($p.PropertyType) ?? $p.PropertyType
                if ($type.IsEnum) { "$($t.Name).$($p.Name)" }
            }
        }
        $enums | Should -BeNullOrEmpty
    }

    It 'Connect-GaussCloud output exports its cloud by name' {
        $emulator = Start-BackupEmulator -NoEnvironment
        try {
            $key = ConvertTo-SecureString 'demo-secret-key' -AsPlainText -Force
            $connection = Connect-GaussCloud -Cloud OpenTelekomCloud -Region eu-de -Endpoint $emulator.BaseAddress -AccessKey DEMOACCESSKEY0000000 -SecretKey $key -ProjectId 0b5c7f3a9d2e4f6a8b1c3d5e7f9a0b2c
            ($connection | ConvertTo-Json | ConvertFrom-Json).Cloud | Should -Be 'OpenTelekomCloud'
            $lines = Render $connection 80
            $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 }
            $lines[2] | Should -Match '0b5c7f3a9d2e4f6a8b1c3d5e7f9a0b2c'
        }
        finally {
            $emulator | Stop-BackupEmulator
        }
    }

    It 'a CSV round trip keeps what a script needs' {
        $file = Join-Path $TestDrive 'backups.csv'
        $samples.SpannerBackup, $samples.SpannerBackup | Export-Csv $file
        $back = Import-Csv $file
        $back[0].State | Should -Be 'CREATING'
        $back[0].BackupId | Should -Be 'inventory-20261202-161634-219'
    }
}

Describe 'Completion' {
    BeforeAll {
        $emulator = Start-BackupEmulator -SpannerDuration 30s
        $PSDefaultParameterValues['*-Spanner*:Project'] = 'demo-project'
        $PSDefaultParameterValues['*-Spanner*:Instance'] = 'demo-instance'
        $null = New-SpannerBackup -Database orders -BackupId completion-one
        function Complete($line) { (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches }
        Push-Location $TestDrive
        New-Item -ItemType File -Path (Join-Path $TestDrive 'zzz-local-file.txt') | Out-Null
    }
    AfterAll {
        Pop-Location
        $PSDefaultParameterValues.Remove('*-Spanner*:Project')
        $PSDefaultParameterValues.Remove('*-Spanner*:Instance')
        $emulator | Stop-BackupEmulator
    }

    It '-Database follows $PSDefaultParameterValues' {
        (Complete 'New-SpannerBackup -Database ').CompletionText | Should -Be @('audit', 'billing', 'customers', 'inventory', 'orders')
    }

    It '-BackupId of Get-SpannerBackup offers the instance''s backups' {
        (Complete 'Get-SpannerBackup -BackupId com').CompletionText | Should -Be @('completion-one')
    }

    It '-BackupId of New-SpannerBackup offers the id it would generate' {
        (Complete 'New-SpannerBackup -Database orders -BackupId ').CompletionText | Should -Match '^orders-\d{8}-\d{6}-\d{3}$'
    }

    It 'Stop-SpannerBackupOperation -Name offers the pending operations' {
        (Complete 'Stop-SpannerBackupOperation -Name ').CompletionText | Should -Match '^projects/demo-project/instances/demo-instance/backups/completion-one/operations/'
    }

    It '<_> never offers local file names' -ForEach @('Get-SpannerBackup -BackupId zz', 'Remove-GaussBackup -BackupId zz', 'Stop-SpannerBackupOperation -Name zz', 'New-SpannerBackup -Database orders -BackupId zz') {
        (Complete $_).CompletionText | Should -Not -Contain './zzz-local-file.txt'
        (Complete $_).CompletionText | Should -Not -Contain 'zzz-local-file.txt'
    }
}

Describe 'The module''s types in a script''s classes' {
    It 'a class names [BackupTools.Spanner.SpannerBackup] once the module is imported before its script is parsed' {
        $file = Join-Path $TestDrive 'Report.ps1'
        @'
class BackupReport {
    [BackupTools.Spanner.SpannerBackup] $Backup
    [BackupTools.Duration] $Retention
    [string] Describe() { return "$($this.Backup.BackupId) $($this.Backup.State) kept $($this.Retention)" }
}
'@ | Set-Content $file
        . $file
        $report = [BackupReport]::new()
        $report.Backup = [BackupTools.Spanner.SpannerBackup]@{ BackupId = 'b1'; State = 'READY' }
        $report.Retention = '14d'
        $report.Describe() | Should -Be 'b1 READY kept 14d'
    }

    It 'with using module, a script names the types at run time' {
        $file = Join-Path $TestDrive 'Using.ps1'
        @'
using module BackupTools
class Holder { [object] $Backup }
$h = [Holder]::new()
$h.Backup = [BackupTools.Spanner.SpannerBackup]@{ BackupId = 'b2' }
($h.Backup -is [BackupTools.Spanner.SpannerBackup]) -and ($h.Backup.BackupId -eq 'b2')
'@ | Set-Content $file
        Invoke-ThisPwsh -File $file | Should -Be 'True'
    }
}
