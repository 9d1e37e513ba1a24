using System;

namespace BackupTools.Infrastructure
{
    /// <summary>How a [datetime] parameter is read: one without a kind is the user's local time, as PowerShell means it.</summary>
    internal static class TypedTime
    {
        public static DateTimeOffset ToUtc(DateTime value) =>
            new DateTimeOffset(value.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(value, DateTimeKind.Local).ToUniversalTime() : value.ToUniversalTime());
    }
}
