using System;
using System.Collections.Generic;
using System.Linq;
using BackupTools.Errors;

namespace BackupTools.Gauss
{
    /// <summary>Which cloud: Huawei Cloud or Open Telekom Cloud (same API, different hosts).</summary>
    public enum GaussCloud
    {
        HuaweiCloud,
        OpenTelekomCloud,
    }

    /// <summary>
    /// The service and IAM hosts by cloud and region. Huawei uses three host patterns that do not follow
    /// from the region name, so this is a table (from the reference), never a guessed pattern.
    /// </summary>
    public static class GaussEndpoints
    {
        private static readonly Dictionary<string, string> HuaweiHostPrefix = BuildHuawei();

        private static readonly string[] OtcRegions = { "eu-de", "eu-nl" };

        public static IEnumerable<string> Regions(GaussCloud cloud) =>
            cloud == GaussCloud.OpenTelekomCloud ? OtcRegions : HuaweiHostPrefix.Keys.OrderBy(k => k, StringComparer.Ordinal);

        /// <summary>The base address of the GaussDB(for MySQL) API in a region.</summary>
        public static string Service(GaussCloud cloud, string region)
        {
            if (cloud == GaussCloud.OpenTelekomCloud)
            {
                if (Array.IndexOf(OtcRegions, region) < 0)
                {
                    throw Unknown(cloud, region);
                }

                return "https://gaussdb-mysql." + region + ".otc.t-systems.com/";
            }

            if (!HuaweiHostPrefix.TryGetValue(region ?? string.Empty, out var prefix))
            {
                throw Unknown(cloud, region);
            }

            return "https://" + prefix + "." + region + ".myhuaweicloud.com/";
        }

        /// <summary>The IAM base address for a region (where password tokens are issued).</summary>
        public static string Iam(GaussCloud cloud, string? region)
        {
            if (cloud == GaussCloud.OpenTelekomCloud)
            {
                return "https://iam." + (region == "eu-nl" ? "eu-nl" : "eu-de") + ".otc.t-systems.com/";
            }

            // The global endpoint works for every region; a regional one is used when the region is known.
            return string.IsNullOrEmpty(region) || !HuaweiHostPrefix.ContainsKey(region!)
                ? "https://iam.myhuaweicloud.com/"
                : "https://iam." + region + ".myhuaweicloud.com/";
        }

        private static BackupToolsException Unknown(GaussCloud cloud, string? region) =>
            new BackupToolsException(
                ErrorIds.InvalidParameter,
                ErrorKind.InvalidArgument,
                "No known GaussDB(for MySQL) endpoint for region '" + region + "' of " + cloud + " (known: " + string.Join(", ", Regions(cloud)) + "). Pass -Endpoint.",
                region);

        private static Dictionary<string, string> BuildHuawei()
        {
            var table = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var r in new[] { "cn-north-4", "cn-north-2", "cn-north-9", "cn-east-3", "cn-south-1", "cn-south-4", "cn-southwest-2", "ru-northwest-2", "ap-southeast-3", "ap-southeast-4", "sa-brazil-1" })
            {
                table[r] = "gaussdb";
            }

            foreach (var r in new[] { "tr-west-1", "ap-southeast-1", "ap-southeast-2", "cn-north-11", "me-east-1" })
            {
                table[r] = "gaussdbformysql";
            }

            foreach (var r in new[] { "af-south-1", "cn-east-5", "la-north-2", "cn-southwest-3" })
            {
                table[r] = "gaussdb-mysql";
            }

            return table;
        }
    }
}
