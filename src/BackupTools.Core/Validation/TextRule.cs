using System;
using System.Globalization;
using System.Text.RegularExpressions;
using BackupTools.Errors;

namespace BackupTools.Validation
{
    /// <summary>
    /// One rule for one kind of value (a backup id, a GaussDB name...), stated once and used by the
    /// cmdlets' validation attributes, the clients and the tests alike. The message names the rule.
    /// </summary>
    public sealed class TextRule
    {
        private readonly Regex _pattern;

        public TextRule(string what, string pattern, int minLength, int maxLength, string description)
        {
            What = what;
            _pattern = new Regex(pattern, RegexOptions.CultureInvariant);
            MinLength = minLength;
            MaxLength = maxLength;
            Description = description;
        }

        /// <summary>What the value is, as a user would call it: "Spanner backup id".</summary>
        public string What { get; }

        public int MinLength { get; }

        public int MaxLength { get; }

        /// <summary>The rule in words, e.g. "2 to 60 characters: a lowercase letter first, ...".</summary>
        public string Description { get; }

        /// <summary>Null when the value is valid, else the message to show.</summary>
        public string? Check(string? value)
        {
            if (value == null || value.Length == 0)
            {
                return string.Format(CultureInfo.InvariantCulture, "A {0} is required: {1}.", What, Description);
            }

            if (value.Length < MinLength || value.Length > MaxLength || !IsWholeMatch(value))
            {
                return string.Format(CultureInfo.InvariantCulture, "'{0}' is not a valid {1}: {2}.", Printable(value), What, Description);
            }

            return null;
        }

        public bool IsValid(string? value) => Check(value) == null;

        /// <summary>
        /// The pattern must cover the whole value: .NET's '$' also matches before a final newline, so
        /// "orders\n" would otherwise pass (found by the fuzz tests).
        /// </summary>
        private bool IsWholeMatch(string value)
        {
            var m = _pattern.Match(value);
            return m.Success && m.Index == 0 && m.Length == value.Length;
        }

        /// <summary>Throws the module's validation error when the value breaks the rule.</summary>
        public string Require(string? value)
        {
            var problem = Check(value);
            if (problem != null)
            {
                throw ValidationError.Create(problem, value);
            }

            return value!;
        }

        /// <summary>Control characters are shown escaped so a message never breaks a console line.</summary>
        internal static string Printable(string value)
        {
            var shown = value.Length > 80 ? value.Substring(0, 80) + "..." : value;
            var builder = new System.Text.StringBuilder(shown.Length);
            foreach (var c in shown)
            {
                if (char.IsControl(c))
                {
                    builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                }
                else
                {
                    builder.Append(c);
                }
            }

            return builder.ToString();
        }
    }

    /// <summary>The error every refused value raises: id InvalidParameter, kind InvalidArgument.</summary>
    public static class ValidationError
    {
        public static BackupToolsException Create(string message, string? value = null) =>
            new BackupToolsException(ErrorIds.InvalidParameter, ErrorKind.InvalidArgument, message, value);
    }
}
