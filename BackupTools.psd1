@{
    # The module's manifest. ModuleVersion must equal <BackupToolsVersion> in Directory.Build.props
    # (a test checks it); the build copies this file into the module folder.
    RootModule           = 'BackupTools.dll'
    ModuleVersion        = '0.2.0'
    GUID                 = '5f0d3f43-6f0f-4d55-9f53-0b9d8a6c2a71'
    Author               = 'BackupTools contributors'
    CompanyName          = 'BackupTools contributors'
    Copyright            = '(c) BackupTools contributors. MIT licence.'
    Description          = 'Create and follow database backups in Google Cloud Spanner and GaussDB(for MySQL) (Huawei Cloud, Open Telekom Cloud): typed objects, safe retries, fleet-scale waiting, and a local emulator of both backup APIs.'
    CompatiblePSEditions = @('Desktop', 'Core')
    PowerShellVersion    = '5.1'
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess     = @('BackupTools.Format.ps1xml')
    CmdletsToExport      = @(
        'New-SpannerBackup'
        'Get-SpannerBackup'
        'Set-SpannerBackup'
        'Remove-SpannerBackup'
        'Get-SpannerBackupOperation'
        'Stop-SpannerBackupOperation'
        'Copy-SpannerBackup'
        'Restore-SpannerDatabase'
        'Remove-SpannerDatabase'
        'New-SpannerBackupSchedule'
        'Get-SpannerBackupSchedule'
        'Set-SpannerBackupSchedule'
        'Remove-SpannerBackupSchedule'
        'Wait-BackupOperation'
        'Connect-GaussCloud'
        'New-GaussBackup'
        'Get-GaussBackup'
        'Remove-GaussBackup'
        'Get-GaussBackupJob'
        'Restore-GaussInstance'
        'Get-GaussRestoreWindow'
        'Get-GaussInstance'
        'New-GaussInstance'
        'Remove-GaussInstance'
        'Get-BackupCoverage'
        'Remove-BackupByPolicy'
        'Test-SpannerBackupRestore'
        'Test-GaussBackupRestore'
        'Get-GaussBackupPolicy'
        'Set-GaussBackupPolicy'
        'Start-BackupEmulator'
        'Stop-BackupEmulator'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('Backup', 'Spanner', 'GoogleCloud', 'GCP', 'GaussDB', 'TaurusDB', 'HuaweiCloud', 'OpenTelekomCloud', 'Database', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            ProjectUri   = 'https://github.com/backuptools/BackupTools'
            LicenseUri   = 'https://github.com/backuptools/BackupTools/blob/main/LICENSE'
            ReleaseNotes = @'
0.2.0
- Where users run it: real pwsh 7.6.10 and Pester 5/6. Durations are [BackupTools.Duration], whose
  conversions ('14d', '2h', 1800 seconds, [timespan]) hold in proxies and Pester mocks; piped backups
  and operations refresh themselves; a GaussDB job waited on ends in its backup; empty CSV cells mean
  "not given"; views laid out for 80 and 120 columns; states and clouds as text in JSON; completion
  that reads $PSDefaultParameterValues and never offers file names; Start-/Stop-BackupEmulator and the
  backuptools-emulator .NET tool for users' own suites (about_BackupTools_Testing).
- Hostile networks: bounded paging, size caps, answers checked (InvalidAnswer, never an object without
  its identity), redirects reported, retry hints clamped, server text cleaned; proxies (-Proxy,
  -ProxyCredential, HTTP(S)_PROXY/NO_PROXY with loopback bypass, the Windows system proxy), proxy and
  TLS failures named; TLS 1.2 on .NET Framework.
- Waiting when progress is coarse or absent: starts dated by the create, odd progress distrusted,
  estimates from each instance's earlier backups.
- The lifecycle: Copy-SpannerBackup, Restore-SpannerDatabase (restore and optimize followed by
  Wait-BackupOperation), Restore-GaussInstance, Get-GaussRestoreWindow, Get-/Set-GaussBackupPolicy,
  Remove-GaussBackup -Batch; New-, Get-, Set-, Remove-SpannerBackupSchedule (full or incremental backups
  on a UTC cron text, checked before any request); Remove-SpannerDatabase (drops what a restore made,
  -CancelRestore stops one still running); New-GaussInstance (restore to a new instance, like its source
  unless told otherwise; the one restore Open Telekom Cloud offers), Get-/Remove-GaussInstance; what
  Open Telekom Cloud lacks is refused before any request.
- The fleet: Get-BackupCoverage (every Spanner database and GaussDB instance rated Covered, Stale,
  Missing or Failing against -MaxAge), Remove-BackupByPolicy (retention pruning that never removes what
  is still needed; -WhatIf names exactly what goes), Test-SpannerBackupRestore and
  Test-GaussBackupRestore (restore drills with evidence, the scratch database or instance removed
  whatever happens); coverage rows pipe back into the cmdlets that fix them.

0.1.0 - first release
- Cloud Spanner: New-, Get-, Set-, Remove-SpannerBackup; Get-, Stop-SpannerBackupOperation.
- GaussDB(for MySQL) on Huawei Cloud and Open Telekom Cloud: Connect-GaussCloud (AK/SK, IAM token,
  IAM password), New-, Get-, Remove-GaussBackup, Get-GaussBackupJob.
- Wait-BackupOperation: both clouds at once, streaming results, progress, -Timeout, progress-aware polling.
- Retries with backoff honouring Retry-After; creates never duplicated (read-back on unknown outcome).
- Help in the module, completion, format views; dependencies isolated in their own load context.
- A local emulator of both clouds' backup APIs for tests and demos.
'@
        }
    }
}
