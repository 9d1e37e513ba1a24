# Start-BackupEmulator and Stop-BackupEmulator as a user's suite uses them.
BeforeAll {
    Import-Module BackupTools
    . $PSScriptRoot/ThisPwsh.ps1
}

Describe 'Start-BackupEmulator' {
    It 'starts on a free loopback port and points the module at it' {
        $before = $env:BACKUPTOOLS_SPANNER_ENDPOINT
        $emulator = Start-BackupEmulator
        try {
            $emulator.BaseAddress.IsLoopback | Should -BeTrue
            $env:BACKUPTOOLS_SPANNER_ENDPOINT | Should -Be $emulator.BaseAddress.AbsoluteUri
            $env:BACKUPTOOLS_GAUSS_ENDPOINT | Should -Be $emulator.BaseAddress.AbsoluteUri
            (Invoke-RestMethod "$($emulator.AdminAddress)health").status | Should -Be 'ok'
        }
        finally {
            $emulator | Stop-BackupEmulator
        }
        $env:BACKUPTOOLS_SPANNER_ENDPOINT | Should -Be $before
        $emulator.HasExited | Should -BeTrue
    }

    It 'takes a seed as a hashtable' {
        $seed = @{ Spanner = @{ Projects = @(@{ Id = 'p1'; Instances = @(@{ Id = 'i1'; Databases = @(@{ Id = 'sales' }) }) }) } }
        $emulator = Start-BackupEmulator -Seed $seed -SpannerDuration 1s
        try {
            (New-SpannerBackup p1 i1 sales -Wait).State | Should -Be 'READY'
            { New-SpannerBackup demo-project demo-instance orders -ErrorAction Stop } | Should -Throw -ErrorId 'SpannerNotFound*'
        }
        finally {
            $emulator | Stop-BackupEmulator
        }
    }

    It 'takes a seed file' {
        $file = Join-Path $TestDrive 'seed.json'
        '{ "spanner": { "projects": [ { "id": "fp", "instances": [ { "id": "fi", "databases": [ { "id": "fdb" } ] } ] } ] } }' | Set-Content $file
        $emulator = Start-BackupEmulator -Seed $file -NoEnvironment
        try {
            (Get-SpannerBackup fp fi -Endpoint $emulator.BaseAddress | Measure-Object).Count | Should -Be 0
        }
        finally {
            Stop-BackupEmulator $emulator
        }
    }

    It 'refuses a bad seed with EmulatorStartFailed, quoting the emulator' {
        $file = Join-Path $TestDrive 'bad.json'
        '{ not json' | Set-Content $file
        { Start-BackupEmulator -Seed $file -ErrorAction Stop } | Should -Throw -ErrorId 'EmulatorStartFailed*'
    }

    It 'says how to install the emulator when it cannot find one' {
        $err = { Start-BackupEmulator -Path (Join-Path $TestDrive 'nothing-here.dll') -ErrorAction Stop } | Should -Throw -ErrorId 'EmulatorNotFound*' -PassThru
        $err.Exception.Message | Should -Match 'not found'
    }

    It 'ends when the PowerShell process that started it ends' {
        $script = "Import-Module BackupTools; `$e = Start-BackupEmulator; `$e.ProcessId"
        $emulatorPid = [int](Invoke-ThisPwsh -Command $script | Select-Object -Last 1)
        $emulatorPid | Should -BeGreaterThan 0
        $deadline = [DateTime]::UtcNow.AddSeconds(20)
        while ((Get-Process -Id $emulatorPid -ErrorAction SilentlyContinue) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 200 }
        Get-Process -Id $emulatorPid -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'stops everything it started on Stop-BackupEmulator without arguments' {
        $a = Start-BackupEmulator -NoEnvironment
        $b = Start-BackupEmulator -NoEnvironment
        Stop-BackupEmulator
        $a.HasExited | Should -BeTrue
        $b.HasExited | Should -BeTrue
    }

    It 'ships as a .NET tool that Start-BackupEmulator finds on PATH' {
        # What a user without our source tree does: install the package, then start it by name.
        $root = Resolve-Path "$PSScriptRoot/../.."
        $feed = Join-Path $TestDrive 'feed'
        $tools = Join-Path $TestDrive 'tools'
        dotnet pack (Join-Path $root 'src/BackupTools.Emulator/BackupTools.Emulator.csproj') -o $feed --nologo -v quiet | Out-Null
        $LASTEXITCODE | Should -Be 0
        dotnet tool install BackupTools.Emulator --tool-path $tools --add-source $feed --ignore-failed-sources | Out-Null
        $LASTEXITCODE | Should -Be 0

        $saved = $env:BACKUPTOOLS_EMULATOR, $env:PATH
        try {
            $env:BACKUPTOOLS_EMULATOR = $null
            $env:PATH = $tools + [IO.Path]::PathSeparator + $env:PATH
            $emulator = Start-BackupEmulator -SpannerDuration 1s
            try {
                (New-SpannerBackup demo-project demo-instance billing -Wait).State | Should -Be 'READY'
            }
            finally {
                $emulator | Stop-BackupEmulator
            }
        }
        finally {
            $env:BACKUPTOOLS_EMULATOR, $env:PATH = $saved
        }
    }
}
