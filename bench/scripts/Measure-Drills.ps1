# Runs one restore drill of each cloud against the bundled emulator and prints what each cost: the
# phases' times from the drill's own evidence and the requests the module sent (from the emulator's log).
# Build first (dotnet pwsh ./build.ps1), then: dotnet pwsh ./bench/scripts/Measure-Drills.ps1
param([string] $RestoreDuration = '20s', [string] $OptimizeDuration = '10s')

$ErrorActionPreference = 'Stop'
$root = Split-Path (Split-Path $PSScriptRoot)
Import-Module (Join-Path $root 'artifacts/module/BackupTools/BackupTools.psd1')
$env:BACKUPTOOLS_EMULATOR = (Get-ChildItem (Join-Path $root 'src/BackupTools.Emulator/bin') -Recurse -Filter BackupTools.Emulator.dll | Select-Object -First 1).FullName
$emulator = Start-BackupEmulator -GaussDuration 2s -SpannerDuration 2s -ArgumentList '--gauss-restore-duration', $RestoreDuration, '--spanner-restore-duration', $RestoreDuration, '--spanner-optimize-duration', $OptimizeDuration
try {
    $key = ConvertTo-SecureString 'demo-secret-key' -AsPlainText -Force
    $null = Connect-GaussCloud -Region eu-de -AccessKey DEMOACCESSKEY0000000 -SecretKey $key -ProjectId 0b5c7f3a9d2e4f6a8b1c3d5e7f9a0b2c
    $null = New-GaussBackup -InstanceId 07033b125fd94a8a96896f8bcfee6ddain07 -Name measured-drill -Wait
    $null = New-SpannerBackup demo-project demo-instance orders -BackupId measured-drill -Wait
    $requests = { (Invoke-RestMethod "$($emulator.BaseAddress)_emulator/requests").Count }

    $before = & $requests
    $gauss = Test-GaussBackupRestore 07033b125fd94a8a96896f8bcfee6ddain07 -Check { $true }
    $between = & $requests
    $spanner = Test-SpannerBackupRestore demo-project demo-instance orders -Check { $true }
    $after = & $requests

    foreach ($row in @(@($gauss, ($between - $before)), @($spanner, ($after - $between)))) {
        $d = $row[0]
        [pscustomobject]@{
            Cloud = $d.Cloud; Outcome = $d.Outcome
            Restore = '{0:N1} s' -f $d.RestoreTime.TotalSeconds
            Optimize = if ($d.OptimizeTime) { '{0:N1} s' -f $d.OptimizeTime.TotalSeconds } else { '-' }
            Cleanup = '{0:N1} s' -f $d.CleanupTime.TotalSeconds
            Total = '{0:N1} s' -f $d.TotalTime.TotalSeconds
            Requests = $row[1]
        }
    }
}
finally {
    $emulator | Stop-BackupEmulator
}
