# Restores and restore drills of both clouds, as an operator's Pester suite checks them: back up, copy,
# restore into something new, wait (through Spanner's optimize step), read back, clean up; and drills that
# leave nothing behind whatever their check does.
BeforeAll {
    Import-Module BackupTools
    $emulator = Start-BackupEmulator -SpannerDuration 1s -GaussDuration 1s -ArgumentList '--spanner-restore-duration', '2s', '--spanner-optimize-duration', '2s', '--gauss-restore-duration', '2s'
    $password = ConvertTo-SecureString 'demo-password' -AsPlainText -Force
    $null = Connect-GaussCloud -Cloud HuaweiCloud -Region eu-de -Credential ([pscredential]::new('demo-user', $password)) -DomainName demo-account
    $orders = '07033b125fd94a8a96896f8bcfee6ddain07'
    $rootPassword = ConvertTo-SecureString 'Drill-2026-pw' -AsPlainText -Force
}
AfterAll {
    $emulator | Stop-BackupEmulator
}

Describe 'A Spanner restore' {
    It 'copies a backup to the DR instance and restores it there, through optimize' {
        $backup = New-SpannerBackup demo-project demo-instance orders -BackupId pester-restore -RetentionPeriod '2d' -Wait
        $copy = $backup | Copy-SpannerBackup -DestinationInstance dr-instance -Wait
        $database = $copy | Restore-SpannerDatabase -DatabaseId orders-pester -Wait

        $database.State | Should -Be 'READY'
        $database.RestoredFromBackup | Should -Be $copy.Name
        $database.RestoreVersionTime | Should -Be $backup.VersionTime
    }
}

Describe 'A GaussDB restore to a new instance' {
    It 'builds an instance like its source from a piped backup, then removes it' {
        $backup = New-GaussBackup -InstanceId $orders -Name pester-to-new -Wait
        $instance = $backup | New-GaussInstance orders-pester -Password $rootPassword -Wait

        $instance | Should -BeOfType ([BackupTools.Gauss.GaussInstance])
        $instance.Status | Should -Be 'ACTIVE'
        $instance.FlavorRef | Should -Be (Get-GaussInstance $orders).FlavorRef
        (Get-GaussInstance -Name 'orders-pester').Id | Should -Be $instance.Id

        $instance | Remove-GaussInstance -Force -Wait
        Get-GaussInstance -Name 'orders-pester' | Should -BeNullOrEmpty
        { Get-GaussInstance $instance.Id -ErrorAction Stop } | Should -Throw -ErrorId 'GaussNotFound*'
    }

    It 'refuses a weak password before anything is sent' {
        $weak = ConvertTo-SecureString 'password' -AsPlainText -Force
        { New-GaussInstance orders-weak -SourceInstanceId $orders -RestoreTime (Get-Date).AddMinutes(-1) -Password $weak } |
            Should -Throw -ErrorId 'InvalidParameter*'
    }

    It 'does not take a piped backup as the instance to delete' {
        $backup = New-GaussBackup -InstanceId $orders -Name pester-not-this -Wait
        $backup | Remove-GaussInstance -Force -ErrorVariable refused -ErrorAction SilentlyContinue

        $refused | Should -HaveCount 1
        Get-GaussInstance $orders | Should -Not -BeNullOrEmpty
    }
}

Describe 'Restore drills' {
    It 'drills a Spanner database and drops the scratch database' {
        $null = New-SpannerBackup demo-project demo-instance customers -BackupId pester-drill -Wait
        $evidence = Test-SpannerBackupRestore demo-project demo-instance customers -Check { param($db) $db.State -eq 'READY' }

        $evidence.Outcome | Should -Be 'Passed'
        $evidence.CleanedUp | Should -BeTrue
        $evidence.Scratch | Should -BeLike 'projects/demo-project/instances/demo-instance/databases/drill-*'
    }

    It 'drills a GaussDB instance and deletes the scratch instance, even when the check throws' {
        $null = New-GaussBackup -InstanceId $orders -Name pester-drill -Wait
        $passed = Test-GaussBackupRestore $orders -Check { $_.Status -eq 'ACTIVE' }
        $failed = Test-GaussBackupRestore $orders -Check { throw 'no rows' } -ErrorVariable drillErrors -ErrorAction SilentlyContinue

        $passed.Outcome | Should -Be 'Passed'
        $passed.Cloud | Should -Be 'GaussDB'
        $failed.Outcome | Should -Be 'CheckFailed'
        $drillErrors[0].FullyQualifiedErrorId | Should -BeLike 'RestoreDrillCheckFailed*'
        Get-GaussInstance -Name 'drill-*' | Should -BeNullOrEmpty
    }

    It 'fails a runbook that stops on errors, keeping the evidence' {
        { Test-GaussBackupRestore 9f8e7d6c5b4a43210fedcba987654321in07 -ErrorAction Stop } | Should -Throw -ErrorId 'RestoreDrillNoBackup*'
    }
}
