# The main job, end to end: back up a fleet of Cloud Spanner databases and wait for every backup to
# be READY. Run it against the bundled emulator (README: "Run the demo"), or against the real service
# by setting $env:BACKUPTOOLS_SPANNER_ENDPOINT to nothing and passing -AccessToken or using ADC.
param(
    [string] $Project = 'demo-project',
    [string] $Instance = 'demo-instance'
)

$databases = 'orders', 'customers', 'inventory', 'billing', 'audit'
"Creating backups of $($databases.Count) databases in $Project/$Instance ..."

# Objects with Project/Instance/Database properties (a CSV would do) bind by property name.
$operations = $databases |
    ForEach-Object { [pscustomobject]@{ Project = $Project; Instance = $Instance; Database = $_ } } |
    New-SpannerBackup -RetentionPeriod '14d'

foreach ($op in $operations) {
    '  started  {0,-36} database {1,-10} {2}% ({3})' -f $op.BackupId, $op.Database, $op.ProgressPercent, $op.State
}

"Waiting for all $($operations.Count) operations at once ..."
$ready = @($operations | Wait-BackupOperation -Timeout '10m')
foreach ($b in $ready) {
    '  {0,-7} {1,-36} database {2,-10} {3,6:N0} MB  expires {4:yyyy-MM-dd HH:mm}Z' -f $b.State, $b.BackupId, $b.Database, ($b.SizeBytes / 1MB), $b.ExpireTime.UtcDateTime
}

"{0} of {1} backups READY." -f @($ready | Where-Object State -eq 'READY').Count, $databases.Count
