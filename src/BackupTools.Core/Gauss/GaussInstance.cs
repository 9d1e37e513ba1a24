using System;
using System.Globalization;
using System.Linq;
using BackupTools.Http;
using BackupTools.Waiting;
using Newtonsoft.Json.Linq;

namespace BackupTools.Gauss
{
    /// <summary>
    /// A GaussDB(for MySQL) instance: what a restore reads of its target and copies from its source (the
    /// specification and network a new instance gets unless told otherwise), and what New-GaussInstance emits
    /// while the new instance is being built, which Wait-BackupOperation follows until it is ACTIVE.
    /// </summary>
    public sealed class GaussInstance : IBackupOperation
    {
        public string Id { get; set; } = string.Empty;

        public string Name { get; set; } = string.Empty;

        /// <summary>BUILD while being created (and restored), ACTIVE when usable, FAILED, RESTORING, BACKING UP, ...</summary>
        public string Status { get; set; } = string.Empty;

        public string? DatastoreVersion { get; set; }

        /// <summary>The project the instance belongs to.</summary>
        public string Project { get; set; } = string.Empty;

        public string? Region { get; set; }

        /// <summary>Days an automated backup is kept (backup_strategy.keep_days), when the service says.</summary>
        public int? KeepDays { get; set; }

        /// <summary>The nodes' specification code (flavor_ref of the primary).</summary>
        public string? FlavorRef { get; set; }

        /// <summary>The primary and its read replicas.</summary>
        public int? NodeCount { get; set; }

        public string? VpcId { get; set; }

        public string? SubnetId { get; set; }

        public string? SecurityGroupId { get; set; }

        /// <summary>single or multi.</summary>
        public string? AvailabilityZoneMode { get; set; }

        public string? MasterAvailabilityZone { get; set; }

        public string? TimeZone { get; set; }

        /// <summary>The job that builds a new instance (New-GaussInstance), when known.</summary>
        public string? JobId { get; set; }

        /// <summary>True when the create's answer was lost and the instance was found by reading back (it was not created twice).</summary>
        public bool ResolvedByReadBack { get; set; }

        internal GaussClient? Client { get; set; }

        /// <summary>What Status means for a waiter: ACTIVE is done, FAILED failed, anything else (BUILD) still going.</summary>
        internal OperationState Outcome =>
            string.Equals(Status, "ACTIVE", StringComparison.OrdinalIgnoreCase) ? OperationState.Succeeded
            : string.Equals(Status, "FAILED", StringComparison.OrdinalIgnoreCase) ? OperationState.Failed
            : OperationState.Running;

        string IBackupOperation.Cloud => "Gauss";

        string IBackupOperation.DisplayName => Name.Length > 0 ? Name : Id;

        public override string ToString() => string.Format(CultureInfo.InvariantCulture, "{0} ({1}, {2})", Name, Id, Status);

        /// <summary>Reads an instance; its id must be there and well formed (an instance without it cannot be acted on).</summary>
        public static GaussInstance FromJson(JObject json, string project)
        {
            var primary = (AnswerFields.Objects(json, "nodes") ?? Array.Empty<JObject>())
                .OrderBy(n => string.Equals(AnswerFields.Text(n, "type"), "master", StringComparison.OrdinalIgnoreCase) ? 0 : 1)
                .FirstOrDefault();
            return new GaussInstance
            {
                Id = AnswerFields.Identity(json, "id", GaussBackup.IdForm),
                Name = AnswerFields.Text(json, "name") ?? string.Empty,
                Status = AnswerFields.Text(json, "status") ?? string.Empty,
                DatastoreVersion = AnswerFields.Text(AnswerFields.Object(json, "datastore"), "version"),
                Project = project,
                Region = AnswerFields.Text(json, "region"),
                KeepDays = (int?)AnswerFields.Long(AnswerFields.Object(json, "backup_strategy")?["keep_days"]),
                FlavorRef = AnswerFields.Text(json, "flavor_ref") ?? AnswerFields.Text(primary, "flavor_ref"),
                NodeCount = (int?)AnswerFields.Long(json["node_count"]) ?? (json["nodes"] is JArray nodes ? nodes.Count : (int?)null),
                VpcId = AnswerFields.Text(json, "vpc_id"),
                SubnetId = AnswerFields.Text(json, "subnet_id"),
                SecurityGroupId = AnswerFields.Text(json, "security_group_id"),
                AvailabilityZoneMode = AnswerFields.Text(json, "az_mode") ?? AnswerFields.Text(json, "availability_zone_mode"),
                MasterAvailabilityZone = AnswerFields.Text(json, "master_az_code") ?? AnswerFields.Text(json, "master_availability_zone"),
                TimeZone = AnswerFields.Text(json, "time_zone"),
            };
        }
    }
}
