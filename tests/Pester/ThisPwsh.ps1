# Runs this pwsh again in a new process: its own executable, or dotnet with $PSHOME/pwsh.dll when it
# runs as the .NET tool (which is how the repository pins it).
function Invoke-ThisPwsh {
    param([string] $Command, [string] $File)
    $exe = [Environment]::ProcessPath
    [string[]] $prefix = if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { @(Join-Path $PSHOME 'pwsh.dll') } else { @() }
    [string[]] $what = if ($File) { @('-File', $File) } else { @('-Command', $Command) }
    & $exe @prefix -NoProfile -NonInteractive @what
}
