# BackupTools mocked the way users mock it in their own suites: every cmdlet can be mocked, every
# documented duration form binds in a mock as in the real cmdlet, output objects are built from the
# module's types, and Should -Invoke filters see the bound values.
BeforeAll {
    Import-Module BackupTools

    # A user's runbook step under test.
    function Start-NightlyBackups {
        param($Databases, $Retention, $Timeout)
        $started = $Databases | ForEach-Object { New-SpannerBackup -Project p1 -Instance i1 -Database $_ -RetentionPeriod $Retention }
        Wait-BackupOperation -InputObject $started -Timeout $Timeout
    }
}

Describe 'Every cmdlet can be mocked' {
    It '<Name> is mocked and called with its usual parameters' -ForEach @(
        @{ Name = 'New-SpannerBackup'; Call = { New-SpannerBackup p1 i1 orders -RetentionPeriod '14d' -Timeout 1800 -RequestTimeout '30s' -Wait } }
        @{ Name = 'Get-SpannerBackup'; Call = { Get-SpannerBackup p1 i1 -Filter 'state:READY' -RequestTimeout 10 } }
        @{ Name = 'Set-SpannerBackup'; Call = { Set-SpannerBackup p1 i1 b1 -RetentionPeriod '90d' } }
        @{ Name = 'Remove-SpannerBackup'; Call = { Remove-SpannerBackup p1 i1 b1 -Force } }
        @{ Name = 'Get-SpannerBackupOperation'; Call = { Get-SpannerBackupOperation p1 i1 -Pending } }
        @{ Name = 'Stop-SpannerBackupOperation'; Call = { Stop-SpannerBackupOperation -Name 'projects/p1/instances/i1/backups/b1/operations/o1' -Force } }
        @{ Name = 'Wait-BackupOperation'; Call = { Wait-BackupOperation -InputObject ([BackupTools.Spanner.SpannerBackupOperation]@{ Name = 'x' }) -Timeout '2h' } }
        @{ Name = 'Connect-GaussCloud'; Call = { Connect-GaussCloud -Region eu-de -AccessKey AK -SecretKey (ConvertTo-SecureString 'sk' -AsPlainText -Force) -ProjectId 0b5c7f3a9d2e4f6a8b1c3d5e7f9a0b2c } }
        @{ Name = 'New-GaussBackup'; Call = { New-GaussBackup 07033b125fd94a8a96896f8bcfee6ddain07 -Name nightly -WaitForInstance -Timeout '30m' } }
        @{ Name = 'Get-GaussBackup'; Call = { Get-GaussBackup 07033b125fd94a8a96896f8bcfee6ddain07 -BackupType manual } }
        @{ Name = 'Remove-GaussBackup'; Call = { Remove-GaussBackup -BackupId 0123456789abcdef0123456789abcdefbr07 -Force } }
        @{ Name = 'Get-GaussBackupJob'; Call = { Get-GaussBackupJob -JobId 2b6e5f0c-8a1d-4c3b-9e7f-1a2b3c4d5e6f } }
        @{ Name = 'Copy-SpannerBackup'; Call = { Copy-SpannerBackup projects/p1/instances/i1/backups/b1 dr-instance -RetentionPeriod '30d' -Timeout '1h' } }
        @{ Name = 'Restore-SpannerDatabase'; Call = { Restore-SpannerDatabase projects/p1/instances/i1/backups/b1 orders-restored -WaitForInstance -Timeout 3600 } }
        @{ Name = 'Remove-SpannerDatabase'; Call = { Remove-SpannerDatabase p1 i1 orders-restored -CancelRestore -Force } }
        @{ Name = 'New-SpannerBackupSchedule'; Call = { New-SpannerBackupSchedule p1 i1 orders nightly -CronText '0 2 * * *' -RetentionPeriod '14d' -Incremental } }
        @{ Name = 'Get-SpannerBackupSchedule'; Call = { Get-SpannerBackupSchedule p1 i1 orders nightly } }
        @{ Name = 'Set-SpannerBackupSchedule'; Call = { Set-SpannerBackupSchedule p1 i1 orders nightly -RetentionPeriod '30d' -CronText '0 4 * * 0' } }
        @{ Name = 'Remove-SpannerBackupSchedule'; Call = { Remove-SpannerBackupSchedule p1 i1 orders nightly -Force } }
        @{ Name = 'Restore-GaussInstance'; Call = { Restore-GaussInstance 07033b125fd94a8a96896f8bcfee6ddain07 -RestoreTime (Get-Date).AddHours(-1) -Force -Timeout '45m' } }
        @{ Name = 'Get-GaussRestoreWindow'; Call = { Get-GaussRestoreWindow 07033b125fd94a8a96896f8bcfee6ddain07 } }
        @{ Name = 'Get-GaussInstance'; Call = { Get-GaussInstance -Name 'drill-*' } }
        @{ Name = 'New-GaussInstance'; Call = { New-GaussInstance orders-restored -BackupId 0123456789abcdef0123456789abcdefbr07 -Password (ConvertTo-SecureString 'Drill-2026-pw' -AsPlainText -Force) -Wait -Timeout '1h' } }
        @{ Name = 'Remove-GaussInstance'; Call = { Remove-GaussInstance 07033b125fd94a8a96896f8bcfee6ddain07 -Force -Wait } }
        @{ Name = 'Test-GaussBackupRestore'; Call = { Test-GaussBackupRestore 07033b125fd94a8a96896f8bcfee6ddain07 -Check { $true } -Timeout '2h' } }
        @{ Name = 'Get-GaussBackupPolicy'; Call = { Get-GaussBackupPolicy 07033b125fd94a8a96896f8bcfee6ddain07 } }
        @{ Name = 'Set-GaussBackupPolicy'; Call = { Set-GaussBackupPolicy 07033b125fd94a8a96896f8bcfee6ddain07 -KeepDays 30 -StartTime '01:00-02:00' } }
        @{ Name = 'Get-BackupCoverage'; Call = { Get-BackupCoverage '24h' -Project p1 -Summary } }
        @{ Name = 'Remove-BackupByPolicy'; Call = { Remove-BackupByPolicy -OlderThan '30d' -KeepNewest 3 -Project p1 -WhatIf } }
        @{ Name = 'Test-SpannerBackupRestore'; Call = { Test-SpannerBackupRestore p1 i1 orders -Check { $true } -Timeout '2h' } }
        @{ Name = 'Start-BackupEmulator'; Call = { Start-BackupEmulator -SpannerDuration '2s' -GaussDuration 5 } }
        @{ Name = 'Stop-BackupEmulator'; Call = { Stop-BackupEmulator } }
    ) {
        Mock $Name { 'mocked' }

        & $Call | Should -Be 'mocked'
        Should -Invoke $Name -Times 1 -Exactly
    }

    It 'covers every exported cmdlet' {
        $covered = 'New-SpannerBackup', 'Get-SpannerBackup', 'Set-SpannerBackup', 'Remove-SpannerBackup', 'Get-SpannerBackupOperation', 'Stop-SpannerBackupOperation', 'Wait-BackupOperation', 'Connect-GaussCloud', 'New-GaussBackup', 'Get-GaussBackup', 'Remove-GaussBackup', 'Get-GaussBackupJob', 'Start-BackupEmulator', 'Stop-BackupEmulator',
            'Copy-SpannerBackup', 'Restore-SpannerDatabase', 'Remove-SpannerDatabase', 'Restore-GaussInstance', 'Get-GaussRestoreWindow', 'Get-GaussBackupPolicy', 'Set-GaussBackupPolicy',
            'Get-BackupCoverage', 'Remove-BackupByPolicy', 'Test-SpannerBackupRestore', 'Get-GaussInstance', 'New-GaussInstance', 'Remove-GaussInstance', 'Test-GaussBackupRestore',
            'New-SpannerBackupSchedule', 'Get-SpannerBackupSchedule', 'Set-SpannerBackupSchedule', 'Remove-SpannerBackupSchedule'
        (Get-Command -Module BackupTools).Name | Where-Object { $_ -notin $covered } | Should -BeNullOrEmpty
    }
}

Describe 'Durations in mocks' {
    BeforeAll {
        Mock New-SpannerBackup { [BackupTools.Spanner.SpannerBackupOperation]@{ Database = $Database; BackupId = "$Database-b" } }
        Mock Wait-BackupOperation { $InputObject | ForEach-Object { [BackupTools.Spanner.SpannerBackup]@{ Database = $_.Database; BackupId = $_.BackupId; State = 'READY' } } }
    }

    It 'binds -RetentionPeriod <Text> as <Expected>' -ForEach @(
        @{ Text = '14d'; Value = '14d'; Expected = [timespan]::FromDays(14) }
        @{ Text = "'2h'"; Value = '2h'; Expected = [timespan]::FromHours(2) }
        @{ Text = '1800 (seconds)'; Value = 1800; Expected = [timespan]::FromSeconds(1800) }
        @{ Text = "'90m'"; Value = '90m'; Expected = [timespan]::FromMinutes(90) }
        @{ Text = "'30s'"; Value = '30s'; Expected = [timespan]::FromSeconds(30) }
        @{ Text = "'250ms'"; Value = '250ms'; Expected = [timespan]::FromMilliseconds(250) }
        @{ Text = "'1.02:00:00'"; Value = '1.02:00:00'; Expected = [timespan]'1.02:00:00' }
        @{ Text = 'a [timespan]'; Value = [timespan]::FromHours(36); Expected = [timespan]::FromHours(36) }
        @{ Text = 'a [double] of seconds'; Value = 90.5; Expected = [timespan]::FromSeconds(90.5) }
    ) {
        $backups = Start-NightlyBackups -Databases orders -Retention $Value -Timeout '1h'

        $backups.BackupId | Should -Be 'orders-b'
        Should -Invoke New-SpannerBackup -Times 1 -Exactly -ParameterFilter { [timespan]$RetentionPeriod -eq $Expected }
        Should -Invoke New-SpannerBackup -Times 1 -Exactly -ParameterFilter { $RetentionPeriod -eq $Expected -and $RetentionPeriod.TimeSpan -eq $Expected }
    }

    It 'compares a duration with the text a user wrote' {
        $null = Start-NightlyBackups -Databases orders, billing -Retention '14d' -Timeout 1800

        Should -Invoke New-SpannerBackup -Times 2 -Exactly -ParameterFilter { $RetentionPeriod -eq '14d' -and $RetentionPeriod -eq '336h' }
        Should -Invoke Wait-BackupOperation -Times 1 -Exactly -ParameterFilter { $Timeout -eq '30m' -and $Timeout.TotalSeconds -eq 1800 -and "$Timeout" -eq '30m' }
    }

    It 'refuses in a mock what the real cmdlet refuses: <Why>' -ForEach @(
        @{ Why = 'an unquoted 7d (a decimal)'; Value = 7d }
        @{ Why = 'text that is no duration'; Value = 'fortnight' }
        @{ Why = 'a negative number'; Value = -5 }
    ) {
        { New-SpannerBackup p1 i1 orders -RetentionPeriod $Value } | Should -Throw -ErrorId 'ParameterArgumentTransformationError*'
        Should -Invoke New-SpannerBackup -Times 0
    }

    It 'names the rule when the text is no duration' {
        $err = { New-SpannerBackup p1 i1 orders -RetentionPeriod 'fortnight' } | Should -Throw -PassThru
        $err.Exception.Message | Should -Match "is not a duration: write e.g. 7d"
    }
}

Describe 'Output objects built in mocks' {
    It 'builds each output type from a hashtable' -ForEach @(
        @{ Type = 'BackupTools.Spanner.SpannerBackup'; Data = @{ BackupId = 'b1'; State = 'READY'; SizeBytes = 1GB } }
        @{ Type = 'BackupTools.Spanner.SpannerBackupOperation'; Data = @{ BackupId = 'b1'; Done = $true } }
        @{ Type = 'BackupTools.Gauss.GaussBackup'; Data = @{ Id = 'x'; Status = 'COMPLETED' } }
        @{ Type = 'BackupTools.Gauss.GaussJob'; Data = @{ Id = 'j'; Status = 'Completed' } }
    ) {
        # Type names as text: discovery runs before BeforeAll has imported the module.
        $object = $Data -as [type]$Type
        $object | Should -BeOfType ([type]$Type)
        $object | Format-Table | Out-String | Should -Not -BeNullOrEmpty
    }

    It 'lets the code under test branch on the types' {
        Mock Get-SpannerBackup { [BackupTools.Spanner.SpannerBackup]@{ BackupId = 'old'; State = 'READY'; CreateTime = [datetimeoffset]::UtcNow.AddDays(-40) } }
        $stale = Get-SpannerBackup p1 i1 | Where-Object { $_ -is [BackupTools.Spanner.SpannerBackup] -and $_.CreateTime -lt [datetimeoffset]::UtcNow.AddDays(-30) }
        $stale.BackupId | Should -Be 'old'
    }
}
