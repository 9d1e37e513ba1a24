# The main job, end to end: back up a fleet of Cloud Spanner databases and GaussDB(for MySQL)
# instances, and wait for all of them at once. Run it against the bundled emulator (README: "The two
# commands"), which also points $env:BACKUPTOOLS_SPANNER_ENDPOINT / BACKUPTOOLS_GAUSS_ENDPOINT at it.
param(
    [string] $Project = 'demo-project',
    [string] $Instance = 'demo-instance',
    [string[]] $GaussInstances = @('07033b125fd94a8a96896f8bcfee6ddain07', '1a2b3c4d5e6f40718293a4b5c6d7e8f9in07', '9f8e7d6c5b4a43210fedcba987654321in07')
)

# --- Cloud Spanner: objects with Project/Instance/Database properties (a CSV would do) bind by property name.
$databases = 'orders', 'customers', 'inventory', 'billing', 'audit'
"Creating Spanner backups of $($databases.Count) databases in $Project/$Instance ..."
$spanner = @($databases |
    ForEach-Object { [pscustomobject]@{ Project = $Project; Instance = $Instance; Database = $_ } } |
    New-SpannerBackup -RetentionPeriod '14d')
foreach ($op in $spanner) {
    '  started  {0,-36} database {1,-10} ({2})' -f $op.BackupId, $op.Database, $op.State
}

# --- GaussDB(for MySQL): sign in to IAM with a user name and password (the emulator's demo user).
$password = [System.Security.SecureString]::new()
foreach ($c in 'demo-password'.ToCharArray()) { $password.AppendChar($c) }
$connection = Connect-GaussCloud -Region eu-de -Credential ([pscredential]::new('demo-user', $password)) -DomainName demo-account
"Connected to GaussDB: project $($connection.ProjectId) in $($connection.Region) ($($connection.CredentialSource))"
$gauss = @($GaussInstances | ForEach-Object { [pscustomobject]@{ InstanceId = $_ } } | New-GaussBackup -Description 'demo run')
foreach ($b in $gauss) {
    '  started  {0,-36} instance {1} ({2})' -f $b.Name, $b.InstanceId, $b.Status
}

# --- One wait for the whole mixed fleet; each backup comes out as soon as it is finished.
"Waiting for all $($spanner.Count + $gauss.Count) backups at once ..."
$done = 0
$spanner + $gauss | Wait-BackupOperation -Timeout '10m' | ForEach-Object {
    $done++
    if ($_ -is [BackupTools.Spanner.SpannerBackup]) {
        '  {0,-9} Spanner {1,-36} {2,8:N0} MB  expires {3:yyyy-MM-dd HH:mm}Z' -f $_.State, $_.BackupId, ($_.SizeBytes / 1MB), $_.ExpireTime.UtcDateTime
    }
    else {
        '  {0,-9} GaussDB {1,-36} {2,8:N0} MB  took {3:N0} s' -f $_.Status, $_.Name, $_.SizeMb, ($_.EndTime - $_.BeginTime).TotalSeconds
    }
}
"$done of $($spanner.Count + $gauss.Count) backups finished."
