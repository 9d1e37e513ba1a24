using System;

namespace BackupTools.Gauss
{
    /// <summary>What Connect-GaussCloud established (never the credential itself).</summary>
    public sealed class GaussConnection
    {
        /// <summary>HuaweiCloud or OpenTelekomCloud (text, so JSON and CSV exports read well; <see cref="CloudKind"/> is the value).</summary>
        public string Cloud => CloudKind.ToString();

        internal GaussCloud CloudKind { get; set; }

        public string? Region { get; set; }

        public string ProjectId { get; set; } = string.Empty;

        public string Endpoint { get; set; } = string.Empty;

        public string CredentialSource { get; set; } = string.Empty;

        public override string ToString() => Cloud + " " + Region + " " + ProjectId + " at " + Endpoint;
    }
}
