using System;
using Newtonsoft.Json.Linq;

namespace BackupTools.Spanner
{
    /// <summary>The encryptionConfig body of copy and restore requests (create sends its options as query parameters instead).</summary>
    internal static class SpannerEncryption
    {
        /// <summary>Null when nothing was asked for (the service's default: the instance configuration's, or the backup's).</summary>
        public static JObject? ToJson(string? encryptionType, string[] kmsKeyNames)
        {
            if (string.IsNullOrEmpty(encryptionType) && kmsKeyNames.Length == 0)
            {
                return null;
            }

            var config = new JObject();
            if (!string.IsNullOrEmpty(encryptionType))
            {
                config["encryptionType"] = encryptionType;
            }

            // One key: kmsKeyName. Several (one per region of a multi-region instance): kmsKeyNames.
            if (kmsKeyNames.Length == 1)
            {
                config["kmsKeyName"] = kmsKeyNames[0];
            }
            else if (kmsKeyNames.Length > 1)
            {
                config["kmsKeyNames"] = new JArray(kmsKeyNames);
            }

            return config;
        }
    }
}
