# The patterns about_BackupTools_Testing recommends for parallel runs, each repeated so a race would show.
BeforeAll {
    Import-Module BackupTools
    $modulePath = (Get-Module BackupTools).ModuleBase
}

Describe 'Parallel runs' {
    It 'InitialSessionState.ImportPSModule in a RunspacePool of 8: 20 rounds, no failure' {
        $failures = 0
        foreach ($round in 1..20) {
            $state = [System.Management.Automation.Runspaces.InitialSessionState]::CreateDefault()
            $state.ImportPSModule($modulePath)
            $pool = [runspacefactory]::CreateRunspacePool(1, 8, $state, $Host)
            $pool.Open()
            try {
                $jobs = foreach ($i in 1..8) {
                    $ps = [powershell]::Create().AddScript({ ([BackupTools.Duration]'14d').TotalDays; (Get-Command New-SpannerBackup).Name })
                    $ps.RunspacePool = $pool
                    [pscustomobject]@{ Shell = $ps; Handle = $ps.BeginInvoke() }
                }
                foreach ($job in $jobs) {
                    $out = $job.Shell.EndInvoke($job.Handle)
                    if ($job.Shell.HadErrors -or $out[0] -ne 14 -or $out[1] -ne 'New-SpannerBackup') { $failures++ }
                    $job.Shell.Dispose()
                }
            }
            finally {
                $pool.Dispose()
            }
        }
        $failures | Should -Be 0
    }

    It 'ForEach-Object -Parallel with 8 threads: 20 rounds, no failure' {
        $failures = 0
        foreach ($round in 1..20) {
            $out = 1..8 | ForEach-Object -ThrottleLimit 8 -Parallel {
                Import-Module $using:modulePath
                ([BackupTools.Duration]'2h').TotalMinutes
            }
            $failures += @($out | Where-Object { $_ -ne 120 }).Count + (8 - @($out).Count)
        }
        $failures | Should -Be 0
    }
}
