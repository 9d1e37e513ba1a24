# How a user tests a runbook that calls BackupTools (the complete example of about_BackupTools_Testing).
# Needs: Pester 5, the BackupTools module, and for the second Describe the emulator
# (dotnet tool install --global BackupTools.Emulator).
BeforeAll {
    Import-Module BackupTools
    . $PSScriptRoot/Invoke-NightlyBackup.ps1
}

Describe 'Invoke-NightlyBackup, with BackupTools mocked' {
    BeforeAll {
        # Output objects built in the mocks: the module's own types, so the code under test sees what it would in production.
        Mock New-SpannerBackup {
            [BackupTools.Spanner.SpannerBackupOperation]@{ Project = $Project; Instance = $Instance; Database = $Database; BackupId = "$Database-nightly" }
        }
        Mock New-GaussBackup {
            [BackupTools.Gauss.GaussBackup]@{ Id = "$InstanceId-b"; InstanceId = $InstanceId; Status = 'BUILDING' }
        }
        Mock Wait-BackupOperation {
            foreach ($op in $InputObject) {
                if ($op -is [BackupTools.Spanner.SpannerBackupOperation]) {
                    [BackupTools.Spanner.SpannerBackup]@{ Database = $op.Database; BackupId = $op.BackupId; State = 'READY'; ExpireTime = [datetimeoffset]'2030-01-15T00:00:00Z' }
                }
                else {
                    [BackupTools.Gauss.GaussBackup]@{ Id = $op.Id; InstanceId = $op.InstanceId; Status = 'COMPLETED' }
                }
            }
        }
    }

    It 'backs up every database and instance and reports each' {
        $report = Invoke-NightlyBackup -Project p1 -Instance i1 -Database orders, billing -GaussInstanceId 07033b125fd94a8a96896f8bcfee6ddain07

        $report.Count | Should -Be 3
        ($report | Where-Object Cloud -EQ 'Spanner').Backup | Should -Be @('orders-nightly', 'billing-nightly')
        ($report | Where-Object Cloud -EQ 'GaussDB').State | Should -Be 'COMPLETED'
        Should -Invoke New-SpannerBackup -Times 2 -Exactly
        Should -Invoke Wait-BackupOperation -Times 1 -Exactly
    }

    It 'passes the retention on as <Value>' -ForEach @(
        @{ Value = '14d'; Days = 14 }
        @{ Value = '2h'; Days = 2 / 24 }
        @{ Value = 1800; Days = 1800 / 86400 }
        @{ Value = [timespan]'1.00:00:00'; Days = 1 }
    ) {
        $null = Invoke-NightlyBackup -Project p1 -Instance i1 -Database orders -RetentionPeriod $Value

        Should -Invoke New-SpannerBackup -Times 1 -Exactly -ParameterFilter { [timespan]$RetentionPeriod -eq [timespan]::FromDays($Days) }
        Should -Invoke New-SpannerBackup -Times 1 -Exactly -ParameterFilter { $RetentionPeriod -eq $Value }
    }

    It 'waits with the timeout it was given' {
        $null = Invoke-NightlyBackup -Project p1 -Instance i1 -Database orders -Timeout 1800

        Should -Invoke Wait-BackupOperation -ParameterFilter { $Timeout.TotalMinutes -eq 30 -and $Timeout -eq '30m' }
    }
}

Describe 'Invoke-NightlyBackup, end to end against the emulator' {
    BeforeAll {
        # One line starts the emulator on a free port and points BackupTools at it; AfterAll stops it.
        $emulator = Start-BackupEmulator -SpannerDuration 1s -GaussDuration 1s
        $key = ConvertTo-SecureString 'demo-secret-key' -AsPlainText -Force
        $null = Connect-GaussCloud -Region eu-de -AccessKey DEMOACCESSKEY0000000 -SecretKey $key -ProjectId 0b5c7f3a9d2e4f6a8b1c3d5e7f9a0b2c
    }
    AfterAll {
        $emulator | Stop-BackupEmulator
    }

    It 'leaves READY and COMPLETED backups behind' {
        $report = Invoke-NightlyBackup -Project demo-project -Instance demo-instance -Database orders, customers -GaussInstanceId 07033b125fd94a8a96896f8bcfee6ddain07 -Timeout '5m'

        $report.State | Sort-Object | Should -Be @('COMPLETED', 'READY', 'READY')
        (Get-SpannerBackup demo-project demo-instance -Filter 'state:READY').Database | Should -Contain 'customers'
    }
}
