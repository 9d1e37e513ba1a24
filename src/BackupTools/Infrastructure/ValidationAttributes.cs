using System;
using System.Collections;
using System.Globalization;
using System.Management.Automation;
using BackupTools.Spanner;
using BackupTools.Validation;

namespace BackupTools.Infrastructure
{
    /// <summary>
    /// Validates a parameter against one of the core's <see cref="TextRule"/>s, so the cmdlet and the
    /// client share one definition of a valid value. PowerShell runs it at binding time, before any
    /// request: a typed value stops the command, a bad pipeline item is skipped with an error.
    /// </summary>
    public abstract class ValidateRuleAttribute : ValidateArgumentsAttribute
    {
        protected abstract TextRule Rule { get; }

        protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
        {
            if (arguments is PSObject pso)
            {
                arguments = pso.BaseObject;
            }

            if (arguments is string single)
            {
                Check(single);
                return;
            }

            if (arguments is IEnumerable many)
            {
                foreach (var item in many)
                {
                    Check(item is PSObject p ? p.BaseObject?.ToString() : item?.ToString());
                }

                return;
            }

            Check(arguments?.ToString());
        }

        private void Check(string? value)
        {
            var problem = Rule.Check(value);
            if (problem != null)
            {
                throw new ValidationMetadataException(problem);
            }
        }
    }

    [AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
    public sealed class ValidateSpannerBackupIdAttribute : ValidateRuleAttribute
    {
        protected override TextRule Rule => SpannerRules.BackupId;
    }

    [AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
    public sealed class ValidateSpannerProjectIdAttribute : ValidateRuleAttribute
    {
        protected override TextRule Rule => SpannerRules.ProjectId;
    }

    [AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
    public sealed class ValidateSpannerInstanceIdAttribute : ValidateRuleAttribute
    {
        protected override TextRule Rule => SpannerRules.InstanceId;
    }

    [AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
    public sealed class ValidateSpannerDatabaseIdAttribute : ValidateRuleAttribute
    {
        protected override TextRule Rule => SpannerRules.DatabaseId;
    }

    [AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
    public sealed class ValidateKmsKeyNameAttribute : ValidateRuleAttribute
    {
        protected override TextRule Rule => SpannerRules.KmsKeyName;
    }

    /// <summary>
    /// Lets a duration be written the way people say it: a TimeSpan, "7d", "12h", "90m", "30s",
    /// "1.02:00:00", or a bare number of seconds (so -Timeout 300 means five minutes, not 300 ticks).
    /// </summary>
    [AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
    public sealed class DurationTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            var value = inputData is PSObject pso ? pso.BaseObject : inputData;
            switch (value)
            {
                case null:
                    return null!;
                case TimeSpan span:
                    return span;
                case int i:
                    return TimeSpan.FromSeconds(i);
                case long l:
                    return TimeSpan.FromSeconds(l);
                case double d:
                    return TimeSpan.FromSeconds(d);
                case decimal m:
                    // PowerShell reads an unquoted 7d as the decimal 7: refuse rather than take 7 seconds.
                    throw new ArgumentTransformationMetadataException(
                        "The duration " + m.ToString(System.Globalization.CultureInfo.InvariantCulture) + " arrived as a decimal number (PowerShell reads an unquoted 7d as the decimal 7): quote it, e.g. '7d', or give a [timespan].");
                case string s:
                    try
                    {
                        return Duration.Parse(s);
                    }
                    catch (BackupTools.Errors.BackupToolsException e)
                    {
                        throw new ArgumentTransformationMetadataException(e.Message, e);
                    }

                default:
                    return value;
            }
        }
    }
}

namespace BackupTools.Infrastructure
{
    [AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
    public sealed class ValidateGaussNameAttribute : ValidateRuleAttribute
    {
        protected override TextRule Rule => BackupTools.Gauss.GaussRules.Name;
    }

    [AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
    public sealed class ValidateGaussInstanceIdAttribute : ValidateRuleAttribute
    {
        protected override TextRule Rule => BackupTools.Gauss.GaussRules.InstanceId;
    }

    [AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
    public sealed class ValidateGaussProjectIdAttribute : ValidateRuleAttribute
    {
        protected override TextRule Rule => BackupTools.Gauss.GaussRules.ProjectId;
    }

    [AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
    public sealed class ValidateGaussBackupIdAttribute : ValidateRuleAttribute
    {
        protected override TextRule Rule => BackupTools.Gauss.GaussRules.BackupId;
    }

    [AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
    public sealed class ValidateGaussJobIdAttribute : ValidateRuleAttribute
    {
        protected override TextRule Rule => BackupTools.Gauss.GaussRules.JobId;
    }

    /// <summary>A description is optional: empty passes, a given one must follow the rule.</summary>
    [AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
    public sealed class ValidateGaussDescriptionAttribute : ValidateArgumentsAttribute
    {
        protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
        {
            var value = arguments is PSObject pso ? pso.BaseObject : arguments;
            var problem = BackupTools.Gauss.GaussRules.CheckDescription(value?.ToString());
            if (problem != null)
            {
                throw new ValidationMetadataException(problem);
            }
        }
    }
}

namespace BackupTools.Infrastructure
{
    /// <summary>A full Spanner backup name (projects/p/instances/i/backups/b): the source of a copy or a restore.</summary>
    [AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
    public sealed class ValidateSpannerBackupNameAttribute : ValidateRuleAttribute
    {
        protected override TextRule Rule => SpannerRules.FullBackupName;
    }
}
