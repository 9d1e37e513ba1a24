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

            if (arguments == null)
            {
                return; // not given (PowerShell validates a null only after a transformation produced it)
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
    /// Binds a <see cref="Duration"/> parameter. The conversions themselves live in the type (so they
    /// survive proxies and Pester mocks, which drop this attribute); what the attribute adds is the one
    /// thing a type conversion cannot say: an empty value (an empty CSV cell) means "not given".
    /// </summary>
    [AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
    public sealed class DurationTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            var value = inputData is PSObject pso ? pso.BaseObject : inputData;
            if (value is string text && text.Trim().Length == 0)
            {
                return null!;
            }

            try
            {
                return value == null ? null! : LanguagePrimitives.ConvertTo<Duration>(value);
            }
            catch (PSInvalidCastException e)
            {
                // The rule's own words (e.g. "'7x' is not a duration: write e.g. 7d, ..."), not the cast's wrapper.
                var inner = e.InnerException;
                while (inner?.InnerException != null && !(inner is FormatException))
                {
                    inner = inner.InnerException;
                }

                throw new ArgumentTransformationMetadataException(inner is FormatException ? inner.Message : e.Message, e);
            }
        }
    }

    /// <summary>
    /// An optional text parameter where an empty value (an empty CSV cell) means "not given": the
    /// cmdlet then does what it does without the parameter (a generated name, say).
    /// </summary>
    [AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
    public sealed class EmptyMeansNotGivenAttribute : ArgumentTransformationAttribute
    {
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            var value = inputData is PSObject pso ? pso.BaseObject : inputData;
            return value is string text && text.Trim().Length == 0 ? null! : inputData;
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
    public sealed class ValidateGaussInstanceNameAttribute : ValidateRuleAttribute
    {
        protected override TextRule Rule => BackupTools.Gauss.GaussInstanceRules.Name;
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

namespace BackupTools.Infrastructure
{
    [AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
    public sealed class ValidateSpannerScheduleIdAttribute : ValidateRuleAttribute
    {
        protected override TextRule Rule => SpannerRules.ScheduleId;
    }
}
