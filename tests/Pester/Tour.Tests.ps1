# The README's tours, as a user runs them in pwsh: Spanner and GaussDB from start to a finished backup,
# the companions, and both clouds in one wait, against the emulator.
BeforeAll {
    Import-Module BackupTools
    $emulator = Start-BackupEmulator -SpannerDuration 1s -GaussDuration 1s
    $gaussInstance = '07033b125fd94a8a96896f8bcfee6ddain07'
}
AfterAll {
    $emulator | Stop-BackupEmulator
}

Describe 'The Spanner tour' {
    It 'creates one backup, waited on, kept 14 days' {
        $backup = New-SpannerBackup -Project demo-project -Instance demo-instance -Database orders -RetentionPeriod '14d' -Wait

        $backup | Should -BeOfType ([BackupTools.Spanner.SpannerBackup])
        $backup.State | Should -Be 'READY'
        ($backup.ExpireTime - $backup.CreateTime).TotalDays | Should -BeGreaterOrEqual 13.99
    }

    It 'creates a fleet from a CSV and waits for all of it' {
        $csv = Join-Path $TestDrive 'dbs.csv'
        'customers', 'inventory', 'billing' | ForEach-Object { [pscustomobject]@{ Project = 'demo-project'; Instance = 'demo-instance'; Database = $_ } } | Export-Csv $csv
        $backups = Import-Csv $csv | New-SpannerBackup -ExpireTime (Get-Date).AddDays(30) | Wait-BackupOperation -Timeout '2m'

        $backups.Database | Sort-Object | Should -Be @('billing', 'customers', 'inventory')
        $backups.State | Should -Not -Contain 'CREATING'
    }

    It 'gets, updates and removes a backup' {
        $null = New-SpannerBackup demo-project demo-instance audit -BackupId tour-audit -Wait

        (Get-SpannerBackup demo-project demo-instance -Filter 'state:READY').BackupId | Should -Contain 'tour-audit'
        $updated = Set-SpannerBackup demo-project demo-instance tour-audit -RetentionPeriod '90d'
        ($updated.ExpireTime - [datetimeoffset]::UtcNow).TotalDays | Should -BeGreaterThan 89
        Remove-SpannerBackup demo-project demo-instance tour-audit -Force
        { Get-SpannerBackup demo-project demo-instance -BackupId tour-audit -ErrorAction Stop } | Should -Throw -ErrorId 'SpannerNotFound*'
    }

    It 'lists pending operations and stops them' {
        $op = New-SpannerBackup demo-project demo-instance orders -BackupId tour-cancelled -Timeout 60
        $pending = Get-SpannerBackupOperation demo-project demo-instance -Pending
        $pending.BackupId | Should -Contain 'tour-cancelled'
        $stopped = $pending | Where-Object BackupId -EQ 'tour-cancelled' | Stop-SpannerBackupOperation -Force -PassThru
        $stopped.State | Should -Be 'Cancelled'
    }
}

Describe 'The GaussDB tour' {
    BeforeAll {
        $password = ConvertTo-SecureString 'demo-password' -AsPlainText -Force
        $connection = Connect-GaussCloud -Cloud HuaweiCloud -Region eu-de -Credential ([pscredential]::new('demo-user', $password)) -DomainName demo-account
    }

    It 'connects with an IAM password' {
        $connection.Cloud | Should -Be 'HuaweiCloud'
        $connection.ProjectId | Should -Be '0b5c7f3a9d2e4f6a8b1c3d5e7f9a0b2c'
    }

    It 'creates a backup and waits to COMPLETED, then finds, reads its job and removes it' {
        $backup = New-GaussBackup -InstanceId $gaussInstance -Name nightly-orders -Wait

        $backup.Status | Should -Be 'COMPLETED'
        (Get-GaussBackup -InstanceId $gaussInstance -BackupType manual).Id | Should -Contain $backup.Id
        (Get-GaussBackupJob -JobId $backup.JobId).Status | Should -Be 'Completed'
        Remove-GaussBackup -BackupId $backup.Id -Force
        (Get-GaussBackup -InstanceId $gaussInstance).Id | Should -Not -Contain $backup.Id
    }
}

Describe 'Both clouds in one wait' {
    It 'emits each finished backup of either cloud' {
        $done = @(
            New-SpannerBackup demo-project demo-instance customers
            New-GaussBackup 1a2b3c4d5e6f40718293a4b5c6d7e8f9in07
        ) | Wait-BackupOperation -Timeout '2m'

        $done.Count | Should -Be 2
        ($done | Where-Object { $_ -is [BackupTools.Spanner.SpannerBackup] }).State | Should -Be 'READY'
        ($done | Where-Object { $_ -is [BackupTools.Gauss.GaussBackup] }).Status | Should -Be 'COMPLETED'
    }
}

Describe 'The demo' {
    It 'backs up the whole demo fleet' {
        $output = & "$PSScriptRoot/../../docs/examples/demo.ps1"

        $output[-1] | Should -Be '8 of 8 backups finished.'
    }
}
