# What a user pipes, and what comes out the other end.
BeforeAll {
    Import-Module BackupTools
    $emulator = Start-BackupEmulator -SpannerDuration 2s -GaussDuration 2s
    $key = ConvertTo-SecureString 'demo-secret-key' -AsPlainText -Force
    $null = Connect-GaussCloud -Region eu-de -AccessKey DEMOACCESSKEY0000000 -SecretKey $key -ProjectId 0b5c7f3a9d2e4f6a8b1c3d5e7f9a0b2c
}
AfterAll {
    $emulator | Stop-BackupEmulator
}

Describe 'Piping an object back in refreshes it' {
    It 'an operation piped to Get-SpannerBackupOperation is read again, not the whole instance listed' {
        $null = New-SpannerBackup demo-project demo-instance inventory -BackupId pipe-other
        $op = New-SpannerBackup demo-project demo-instance billing -BackupId pipe-op

        $fresh = @($op | Get-SpannerBackupOperation)
        $fresh.Count | Should -Be 1
        $fresh[0].Name | Should -Be $op.Name
    }

    It 'does so with -Project and -Instance in $PSDefaultParameterValues too' {
        $PSDefaultParameterValues['*-Spanner*:Project'] = 'demo-project'
        $PSDefaultParameterValues['*-Spanner*:Instance'] = 'demo-instance'
        try {
            $op = New-SpannerBackup -Database audit -BackupId pipe-defaults
            @($op | Get-SpannerBackupOperation).Name | Should -Be $op.Name
            @(Get-SpannerBackupOperation -Name $op.Name).Count | Should -Be 1
        }
        finally {
            $PSDefaultParameterValues.Remove('*-Spanner*:Project')
            $PSDefaultParameterValues.Remove('*-Spanner*:Instance')
        }
    }

    It 'a backup piped to Get-SpannerBackup is read again' {
        $backup = New-SpannerBackup demo-project demo-instance customers -BackupId pipe-backup -Wait
        $fresh = @($backup | Get-SpannerBackup)
        $fresh.Count | Should -Be 1
        $fresh[0].BackupId | Should -Be 'pipe-backup'
    }
}

Describe 'Waiting on a GaussDB job' {
    It 'emits the finished backup the job built, as its help promises' {
        $started = New-GaussBackup 9f8e7d6c5b4a43210fedcba987654321in07 -Name job-piped
        Start-Sleep -Seconds 1.5  # a new job becomes visible a moment after the backup is accepted
        $result = Get-GaussBackupJob -JobId $started.JobId | Wait-BackupOperation -Timeout '2m'

        $result | Should -BeOfType ([BackupTools.Gauss.GaussBackup])
        $result.Id | Should -Be $started.Id
        $result.Status | Should -Be 'COMPLETED'
        $result.JobId | Should -Be $started.JobId
    }

    It 'emits the finished job with -PassThru' {
        $started = New-GaussBackup 1a2b3c4d5e6f40718293a4b5c6d7e8f9in07 -Name job-passthru
        Start-Sleep -Seconds 1.5
        $result = Get-GaussBackupJob -JobId $started.JobId | Wait-BackupOperation -PassThru -Timeout '2m'
        $result | Should -BeOfType ([BackupTools.Gauss.GaussJob])
        $result.Status | Should -Be 'Completed'
    }
}

Describe 'Empty CSV cells mean "not given"' {
    It 'generates the Spanner backup id and keeps the default retention' {
        $csv = Join-Path $TestDrive 'spanner.csv'
        @(
            [pscustomobject]@{ Project = 'demo-project'; Instance = 'demo-instance'; Database = 'orders'; BackupId = ''; RetentionPeriod = '' }
            [pscustomobject]@{ Project = 'demo-project'; Instance = 'demo-instance'; Database = 'customers'; BackupId = 'csv-named'; RetentionPeriod = '30d' }
        ) | Export-Csv $csv
        $backups = Import-Csv $csv | New-SpannerBackup | Wait-BackupOperation -Timeout '2m' | Sort-Object Database

        $backups[0].BackupId | Should -Be 'csv-named'
        ($backups[0].ExpireTime - $backups[0].CreateTime).TotalDays | Should -BeGreaterThan 29.9
        $backups[1].BackupId | Should -Match '^orders-\d{8}-\d{6}'
        ($backups[1].ExpireTime - $backups[1].CreateTime).TotalDays | Should -BeGreaterThan 6.9
        ($backups[1].ExpireTime - $backups[1].CreateTime).TotalDays | Should -BeLessThan 7.1
    }

    It 'generates the GaussDB backup name' {
        $csv = Join-Path $TestDrive 'gauss.csv'
        [pscustomobject]@{ InstanceId = '07033b125fd94a8a96896f8bcfee6ddain07'; Name = ''; Description = '' } | Export-Csv $csv
        $backup = Import-Csv $csv | New-GaussBackup -WaitForInstance -Timeout '1m' | Wait-BackupOperation -Timeout '2m'
        $backup.Name | Should -Match '^backup-07033b125fd94a8a96896f8bcfee6ddain07-'
    }

    It 'still refuses a bad value in a cell, naming the rule' {
        $rows = [pscustomobject]@{ Project = 'demo-project'; Instance = 'demo-instance'; Database = 'orders'; BackupId = 'Bad Id' }
        $rows | New-SpannerBackup -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentValidationError*'
        $failed[0].Exception.Message | Should -Match 'Spanner backup id'
    }
}

Describe 'What errors and -Debug say' {
    It 'a job the service does not know is GaussJobNotFound, category ObjectNotFound' {
        $err = { Get-GaussBackupJob -JobId 2b6e5f0c-8a1d-4c3b-9e7f-1a2b3c4d5e6f -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'GaussJobNotFound,*'
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'an instance the service does not know is GaussNotFound, category ObjectNotFound' {
        $err = { New-GaussBackup -InstanceId 00000000000000000000000000000000in07 -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'GaussNotFound,*'
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It '-Debug after Connect-GaussCloud names the session, not a parameter this command was not given' {
        $password = ConvertTo-SecureString 'demo-password' -AsPlainText -Force
        $null = Connect-GaussCloud -Region eu-de -Credential ([pscredential]::new('demo-user', $password)) -DomainName demo-account
        $DebugPreference = 'Continue'  # what -Debug asks for, without the prompt a non-interactive run cannot answer
        $debug = Get-GaussBackup -InstanceId 07033b125fd94a8a96896f8bcfee6ddain07 5>&1 | Where-Object { $_ -is [System.Management.Automation.DebugRecord] } | ForEach-Object Message
        ($debug -match 'credential:') | Should -Match 'the Connect-GaussCloud session \(IAM password of user demo-user'
        ($debug -join "`n") | Should -Not -Match '\(-Credential\)'
        ($debug -join "`n") | Should -Not -Match 'demo-password'
    }
}
