<#
.SYNOPSIS
    Builds, tests and packages BackupTools.
.DESCRIPTION
    The entry point, run in the pwsh the repository pins (.config/dotnet-tools.json):
        dotnet tool restore; dotnet pwsh ./build.ps1 -Task Test
    Uses only core commands and .NET calls, so it also runs on Windows PowerShell 5.1.
    Tasks:
      Build    dotnet build: lays out the importable module at artifacts/module/BackupTools, and
               builds the emulator
      Test     every test: dotnet test (xunit: unit tests and the hosted-engine end-to-end tests),
               then the Pester suite in tests/Pester (Pester from NuGet) in this pwsh; ends with one
               line "N passed, N failed" over both, and fails when anything failed
      Package  copies the module folder to artifacts/publish/BackupTools/<version> (what
               Publish-Module -Path takes), zips it as artifacts/BackupTools.<version>.zip, and packs
               the emulator as a .NET tool in artifacts/packages (BackupTools.Emulator.<version>.nupkg)
      Demo     starts the emulator, imports the module and runs docs/examples/demo.ps1
      Clean    removes artifacts/
.EXAMPLE
    ./build.ps1 -Task Build, Test, Package
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Package', 'Demo', 'Clean')]
    [string[]] $Task = @('Build'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Debug',

    # Test: only Pester files whose path matches (e.g. Mocking); skips dotnet test.
    [string] $PesterFilter,

    # Package what artifacts/module already holds instead of building first.
    [switch] $NoBuild
)

$ErrorActionPreference = 'Stop'
$root = $PSScriptRoot
$artifacts = [System.IO.Path]::Combine($root, 'artifacts')
$moduleDir = [System.IO.Path]::Combine($artifacts, 'module', 'BackupTools')

function Invoke-DotNet {
    param([string[]] $Arguments)
    [Console]::WriteLine('> dotnet ' + ($Arguments -join ' '))
    & dotnet @Arguments
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($Arguments[0]) failed with exit code $LASTEXITCODE." }
}

function Get-PesterModulePath {
    param([string] $Property = 'PesterVersion')
    # Pester comes from NuGet (PackageDownload in tests/Pester/Pester.props), into the global packages folder.
    $version = ([xml][System.IO.File]::ReadAllText([System.IO.Path]::Combine($root, 'tests', 'Pester', 'Pester.props'))).Project.PropertyGroup.$Property
    $packages = $env:NUGET_PACKAGES
    if (-not $packages) {
        $line = @(& dotnet nuget locals global-packages --list) -match 'global-packages:' | Select-Object -First 1
        $packages = ($line -replace '^.*global-packages:\s*', '').Trim()
    }
    $path = [System.IO.Path]::Combine($packages, 'pester', "$version", 'tools', 'Pester.psd1')
    if (-not [System.IO.File]::Exists($path)) { throw "Pester $version is not in $packages (restore tests/BackupTools.Tests)." }
    $path
}

function Get-EmulatorPath {
    [System.IO.Path]::Combine($root, 'src', 'BackupTools.Emulator', 'bin', $Configuration, 'net10.0', 'BackupTools.Emulator.dll')
}

function Get-ModuleVersion {
    # One place for the version: Directory.Build.props; the manifest must agree (a test checks it).
    $props = [xml][System.IO.File]::ReadAllText([System.IO.Path]::Combine($root, 'Directory.Build.props'))
    @($props.Project.PropertyGroup.BackupToolsVersion | Where-Object { $_ })[0]
}

foreach ($t in $Task) {
    switch ($t) {
        'Clean' {
            if ([System.IO.Directory]::Exists($artifacts)) { [System.IO.Directory]::Delete($artifacts, $true) }
        }
        'Build' {
            Invoke-DotNet @('build', [System.IO.Path]::Combine($root, 'src', 'BackupTools', 'BackupTools.csproj'), '-c', $Configuration)
            Invoke-DotNet @('build', [System.IO.Path]::Combine($root, 'src', 'BackupTools.Emulator', 'BackupTools.Emulator.csproj'), '-c', $Configuration)
        }
        'Test' {
            $passed = 0; $failed = 0
            if (-not $PesterFilter) {
                # dotnet test prints one summary line per test assembly; they are added up below.
                [Console]::WriteLine('> dotnet test BackupTools.sln -c ' + $Configuration)
                & dotnet test ([System.IO.Path]::Combine($root, 'BackupTools.sln')) -c $Configuration | ForEach-Object {
                    [Console]::WriteLine($_)
                    if ($_ -match 'Failed:\s*(\d+), Passed:\s*(\d+), Skipped:\s*(\d+)') { $failed += [int]$Matches[1]; $passed += [int]$Matches[2] }
                }
                $xunitExit = $LASTEXITCODE
                if ($xunitExit -ne 0 -and $passed + $failed -eq 0) {
                    [Console]::WriteLine("dotnet test failed with exit code $xunitExit before running any test.")
                    [Console]::WriteLine('0 passed, 1 failed')
                    exit 1
                }
            }
            else {
                Invoke-DotNet @('build', [System.IO.Path]::Combine($root, 'tests', 'BackupTools.Tests', 'BackupTools.Tests.csproj'), '-c', $Configuration)
            }
            # The Pester suite: the module as users drive it, in this pwsh, against the emulator. The built
            # module is found by name (Import-Module BackupTools) and the emulator as if installed as a tool,
            # so the suite's files read as users' own; the testing example of the docs runs with them.
            $env:BACKUPTOOLS_EMULATOR = Get-EmulatorPath
            $env:PSModulePath = [System.IO.Path]::Combine($artifacts, 'module') + [System.IO.Path]::PathSeparator + $env:PSModulePath
            Import-Module (Get-PesterModulePath) -Force
            $config = New-PesterConfiguration
            $config.Run.Path = @([System.IO.Path]::Combine($root, 'tests', 'Pester'), [System.IO.Path]::Combine($root, 'docs', 'examples', 'testing'))
            $config.Run.PassThru = $true
            $config.Output.Verbosity = 'Detailed'
            $config.TestResult.Enabled = $true
            $config.TestResult.OutputPath = [System.IO.Path]::Combine($artifacts, 'pester-results.xml')
            if ($PesterFilter) { $config.Filter.FullName = "*$PesterFilter*" }
            $pester = Invoke-Pester -Configuration $config
            $passed += $pester.PassedCount
            $failed += $pester.FailedCount + $pester.FailedBlocksCount + $pester.FailedContainersCount
            [Console]::WriteLine("Pester: $($pester.PassedCount) passed, $($pester.FailedCount) failed, $($pester.SkippedCount) skipped ($($pester.FailedBlocksCount) blocks and $($pester.FailedContainersCount) files failed to run).")
            if (-not $PesterFilter) {
                # The users' example once more under Pester 6, in a fresh pwsh (one session holds one Pester).
                $pester6 = Get-PesterModulePath -Property Pester6Version
                $examples = [System.IO.Path]::Combine($root, 'docs', 'examples', 'testing')
                $exe = [Environment]::ProcessPath
                [string[]] $prefix = if ([System.IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { @([System.IO.Path]::Combine($PSHOME, 'pwsh.dll')) } else { @() }
                $child = "Import-Module '$pester6'; `$r = Invoke-Pester -Path '$examples' -Output Detailed -PassThru; 'pester6-result ' + `$r.PassedCount + ' ' + (`$r.FailedCount + `$r.FailedBlocksCount + `$r.FailedContainersCount)"
                $lines = & $exe @prefix -NoProfile -NonInteractive -Command $child
                $lines | Where-Object { $_ -notlike 'pester6-result *' } | ForEach-Object { [Console]::WriteLine($_) }
                $result = @($lines | Where-Object { $_ -like 'pester6-result *' })
                if ($result.Count -eq 1) {
                    $parts = $result[0].Split(' ')
                    $passed += [int]$parts[1]; $failed += [int]$parts[2]
                    [Console]::WriteLine("Pester 6 (docs/examples/testing): $($parts[1]) passed, $($parts[2]) failed.")
                }
                else {
                    [Console]::WriteLine('Pester 6 did not run the example.')
                    $failed += 1
                }
            }
            if ($failed -eq 0 -and $xunitExit -and $xunitExit -ne 0) { $failed = 1 }  # dotnet test failed without a failing test (a crashed host)
            # The closing line CI reads: nothing is written after it.
            [Console]::WriteLine("$passed passed, $failed failed")
            if ($failed -gt 0) { exit 1 }
        }
        'Demo' {
            Invoke-DotNet @('build', [System.IO.Path]::Combine($root, 'src', 'BackupTools', 'BackupTools.csproj'), '-c', $Configuration)
            Invoke-DotNet @('build', [System.IO.Path]::Combine($root, 'src', 'BackupTools.Emulator', 'BackupTools.Emulator.csproj'), '-c', $Configuration)
            Import-Module $moduleDir -Force
            $emulator = Start-BackupEmulator -Path (Get-EmulatorPath) -SpannerDuration 4s -GaussDuration 4s
            try {
                [Console]::WriteLine("Emulator listening on $($emulator.BaseAddress)")
                & ([System.IO.Path]::Combine($root, 'docs', 'examples', 'demo.ps1'))
            }
            finally {
                $emulator | Stop-BackupEmulator
            }
        }
        'Package' {
            if (-not $NoBuild) {
                Invoke-DotNet @('build', [System.IO.Path]::Combine($root, 'src', 'BackupTools', 'BackupTools.csproj'), '-c', $Configuration)
            }
            if (-not [System.IO.File]::Exists([System.IO.Path]::Combine($moduleDir, 'BackupTools.psd1'))) {
                throw "No module at ${moduleDir}: run the Build task first."
            }
            $version = Get-ModuleVersion
            $publishDir = [System.IO.Path]::Combine($artifacts, 'publish', 'BackupTools', $version)
            if ([System.IO.Directory]::Exists($publishDir)) { [System.IO.Directory]::Delete($publishDir, $true) }
            foreach ($source in [System.IO.Directory]::GetFiles($moduleDir, '*', [System.IO.SearchOption]::AllDirectories)) {
                $relative = $source.Substring($moduleDir.Length).TrimStart([char[]]@('/', '\'))
                $target = [System.IO.Path]::Combine($publishDir, $relative)
                [void][System.IO.Directory]::CreateDirectory([System.IO.Path]::GetDirectoryName($target))
                [System.IO.File]::Copy($source, $target, $true)
            }
            $zip = [System.IO.Path]::Combine($artifacts, "BackupTools.$version.zip")
            if ([System.IO.File]::Exists($zip)) { [System.IO.File]::Delete($zip) }
            # ZipFile lives in System.IO.Compression.ZipFile on .NET and System.IO.Compression.FileSystem on .NET Framework.
            try { [void][System.Reflection.Assembly]::Load('System.IO.Compression.ZipFile') }
            catch { [void][System.Reflection.Assembly]::LoadWithPartialName('System.IO.Compression.FileSystem') }
            [System.IO.Compression.ZipFile]::CreateFromDirectory([System.IO.Path]::Combine($artifacts, 'publish', 'BackupTools'), $zip)
            Invoke-DotNet @('pack', [System.IO.Path]::Combine($root, 'src', 'BackupTools.Emulator', 'BackupTools.Emulator.csproj'), '-c', $Configuration)
            [Console]::WriteLine("Packaged BackupTools $version -> $publishDir and $zip; the emulator tool -> artifacts/packages/BackupTools.Emulator.$version.nupkg")
        }
    }
}
