# Coverage rows piped back into the cmdlets that fix them, as a runbook writes it: back up what is not
# covered, drill what is. A seeded history makes "not covered" the same set every run.
BeforeAll {
    Import-Module BackupTools
    $gaussProject = '0b5c7f3a9d2e4f6a8b1c3d5e7f9a0b2c'
    $seed = @{
        spanner = @{ projects = @(@{ id = 'demo-project'; instances = @(@{ id = 'demo-instance'; databases = @(
            @{ id = 'fresh'; backups = @(@{ id = 'fresh-1'; age = '1h' }) }
            @{ id = 'old'; backups = @(@{ id = 'old-1'; age = '3d'; expiresIn = '1d' }) }
            @{ id = 'broken'; backups = @(@{ id = 'broken-1'; age = '2h'; failed = $true }) }
            @{ id = 'none' }
        ) }) }) }
        gauss = @{
            projects = @(@{ id = $gaussProject; name = 'eu-de' })
            instances = @(
                @{ id = '07033b125fd94a8a96896f8bcfee6ddain07'; name = 'gauss-fresh'; projectId = $gaussProject; backups = @(@{ name = 'fresh-1'; type = 'manual'; age = '1h'; duration = '2s' }) }
                @{ id = '1a2b3c4d5e6f40718293a4b5c6d7e8f9in07'; name = 'gauss-old'; projectId = $gaussProject; backups = @(@{ name = 'old-1'; type = 'manual'; age = '3d'; duration = '2s' }) }
                @{ id = '9f8e7d6c5b4a43210fedcba987654321in07'; name = 'gauss-none'; projectId = $gaussProject }
            )
            accessKeys = @(@{ accessKey = 'DEMOACCESSKEY0000000'; secretKey = 'demo-secret-key' })
        }
    }
    $emulator = Start-BackupEmulator -Seed $seed -SpannerDuration 2s -GaussDuration 2s
    $key = ConvertTo-SecureString 'demo-secret-key' -AsPlainText -Force
    $null = Connect-GaussCloud -Region eu-de -AccessKey DEMOACCESSKEY0000000 -SecretKey $key -ProjectId $gaussProject
}
AfterAll {
    $emulator | Stop-BackupEmulator
}

Describe 'Coverage rows piped back' {
    It 'rates the seeded history as expected' {
        $rows = Get-BackupCoverage '1d' -Project demo-project -Gauss
        ($rows | Where-Object Status -ne Covered).Target | Sort-Object | Should -Be @(
            '1a2b3c4d5e6f40718293a4b5c6d7e8f9in07', '9f8e7d6c5b4a43210fedcba987654321in07',
            'projects/demo-project/instances/demo-instance/databases/broken', 'projects/demo-project/instances/demo-instance/databases/none',
            'projects/demo-project/instances/demo-instance/databases/old')
    }

    It 'a row of the other cloud is an error for that item, never a backup or drill of something else' {
        $rows = @(Get-BackupCoverage '1d' -Project demo-project -Gauss | Where-Object Status -ne Covered)

        $spannerOps = @($rows | New-SpannerBackup -ErrorAction SilentlyContinue -ErrorVariable spannerErrors)
        $spannerOps.Database | Sort-Object | Should -Be @('broken', 'none', 'old')
        $spannerErrors.Count | Should -Be 2

        $gaussBackups = @($rows | New-GaussBackup -ErrorAction SilentlyContinue -ErrorVariable gaussErrors)
        $gaussBackups.InstanceId | Sort-Object | Should -Be @('1a2b3c4d5e6f40718293a4b5c6d7e8f9in07', '9f8e7d6c5b4a43210fedcba987654321in07')
        $gaussErrors.Count | Should -Be 3

        @($rows | Where-Object Cloud -eq Gauss | Test-SpannerBackupRestore -ErrorAction SilentlyContinue -ErrorVariable drillErrors) | Should -BeNullOrEmpty
        $drillErrors.Count | Should -Be 2

        # What was started is waited for, so the next tests find the databases and instances free.
        $null = $spannerOps + $gaussBackups | Wait-BackupOperation -Timeout '2m'
        Get-BackupCoverage '1d' -Project demo-project -Gauss | Where-Object Status -ne Covered | Should -BeNullOrEmpty
    }

    It 'New-SpannerBackup and New-GaussBackup back up exactly the uncovered targets' {
        # Everything is covered for a day now: rated against a minute, the seeded fresh backups are stale too, and
        # the ones just taken are not.
        $uncovered = @(Get-BackupCoverage '10m' -Project demo-project -Gauss | Where-Object Status -ne Covered)
        $uncovered.Target | Sort-Object | Should -Be @('07033b125fd94a8a96896f8bcfee6ddain07', 'projects/demo-project/instances/demo-instance/databases/fresh')

        $spanner = @($uncovered | Where-Object Cloud -eq Spanner | New-SpannerBackup -Wait)
        $gauss = @($uncovered | Where-Object Cloud -eq Gauss | New-GaussBackup -Wait)

        $spanner.Database | Should -Be 'fresh'
        ($spanner[0].ExpireTime - $spanner[0].CreateTime).TotalDays | Should -BeGreaterThan 6.9   # the default, not the row's old backup's expiry
        $gauss.InstanceId | Should -Be '07033b125fd94a8a96896f8bcfee6ddain07'
        $gauss.Status | Should -Be COMPLETED
        Get-BackupCoverage '10m' -Project demo-project -Gauss | Where-Object Status -ne Covered | Should -BeNullOrEmpty
    }

    It 'Test-SpannerBackupRestore drills each Spanner database piped in' {
        $rows = @(Get-BackupCoverage '1d' -Project demo-project | Where-Object Cloud -eq Spanner | Where-Object Database -in fresh, old)

        $results = @($rows | Test-SpannerBackupRestore -Timeout '5m')

        $results.Source | Sort-Object | Should -Be @($rows.Target | Sort-Object)
        $results.Succeeded | Sort-Object -Unique | Should -Be $true
        $results.CleanedUp | Sort-Object -Unique | Should -Be $true
    }

    It 'Test-GaussBackupRestore drills each GaussDB instance piped in, and leaves no scratch instance' {
        $rows = @(Get-BackupCoverage '1d' -Gauss | Where-Object Status -eq Covered)

        $results = @($rows | Test-GaussBackupRestore -Timeout '5m')

        $results.Source | Sort-Object | Should -Be @($rows.InstanceId | Sort-Object)
        $results.Succeeded | Sort-Object -Unique | Should -Be $true
        Get-GaussInstance -Name 'drill-*' | Should -BeNullOrEmpty
    }

    It 'rows piped back into Get-BackupCoverage are rated again: a GaussDB row its instance, a Spanner row its whole instance' {
        $rows = @(Get-BackupCoverage '1d' -Project demo-project -Gauss | Where-Object Database -in fresh, gauss-old)

        $again = @($rows | Get-BackupCoverage '1d')

        ($again | Where-Object Cloud -eq Gauss).Target | Should -Be '1a2b3c4d5e6f40718293a4b5c6d7e8f9in07'
        ($again | Where-Object Cloud -eq Spanner).Target | Should -Contain 'projects/demo-project/instances/demo-instance/databases/fresh'
        ($again | Where-Object Cloud -eq Spanner).Instance | Sort-Object -Unique | Should -Be 'demo-instance'
    }
}
