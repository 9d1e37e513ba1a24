<#
.SYNOPSIS
    Builds, tests and packages BackupTools.
.DESCRIPTION
    The PowerShell user's entry point. Uses only core commands and .NET calls, so it also runs in
    the hosted engine (tests/BackupTools.Tests runs it) and on Windows PowerShell 5.1.
    Tasks:
      Build    dotnet build: lays out the importable module at artifacts/module/BackupTools
      Test     dotnet test: unit and end-to-end tests against the bundled emulator
      Package  copies the module folder to artifacts/publish/BackupTools/<version> (what
               Publish-Module -Path takes) and zips it as artifacts/BackupTools.<version>.zip
      Demo     runs docs/examples/demo.ps1 against the emulator
      Clean    removes artifacts/
.EXAMPLE
    ./build.ps1 -Task Build, Test, Package
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Package', 'Demo', 'Clean')]
    [string[]] $Task = @('Build'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

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
        }
        'Test' {
            Invoke-DotNet @('test', [System.IO.Path]::Combine($root, 'BackupTools.sln'), '-c', $Configuration)
        }
        'Demo' {
            Invoke-DotNet @('run', '--project', [System.IO.Path]::Combine($root, 'src', 'BackupTools.Shell'), '-c', $Configuration, '--', '-Emulator', '-File', [System.IO.Path]::Combine($root, 'docs', 'examples', 'demo.ps1'))
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
            [Console]::WriteLine("Packaged BackupTools $version -> $publishDir and $zip")
        }
    }
}
