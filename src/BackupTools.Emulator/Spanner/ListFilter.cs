using System;
using System.Globalization;
using System.Text;

namespace BackupTools.Emulator.Spanner;

/// <summary>
/// A small AIP-160 filter: comparisons <c>field op value</c> (op one of : = != &lt; &gt; &lt;= &gt;=),
/// joined by AND (also implicit by juxtaposition), OR (binds tighter than AND, as in AIP-160), NOT / -, and parentheses.
/// ':' is "has": substring match ignoring case, or "field:*" for presence. Timestamps and numbers compare by value.
/// </summary>
internal sealed class ListFilter
{
    private readonly Func<Func<string, string?>, bool> _predicate;

    private ListFilter(Func<Func<string, string?>, bool> predicate) => _predicate = predicate;

    public static readonly ListFilter All = new(_ => true);

    /// <param name="fields">resolves a field name (snake_case or camelCase) to its value, or null when absent/unknown.</param>
    public bool Matches(Func<string, string?> fields) => _predicate(fields);

    /// <exception cref="SpannerError">INVALID_ARGUMENT on a syntax error.</exception>
    public static ListFilter Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return All;
        var p = new Parser(text);
        var pred = p.ParseExpression();
        p.SkipWs();
        if (!p.AtEnd) throw p.Error("unexpected text");
        return new ListFilter(pred);
    }

    /// <summary>Field names are accepted in snake_case and lowerCamelCase; resolvers see snake_case.</summary>
    public static string Normalize(string field)
    {
        var sb = new StringBuilder(field.Length + 4);
        foreach (var c in field)
        {
            if (char.IsUpper(c)) sb.Append('_').Append(char.ToLowerInvariant(c));
            else sb.Append(c);
        }
        return sb.ToString();
    }

    private sealed class Parser
    {
        private readonly string _s;
        private int _i;

        public Parser(string s) => _s = s;
        public bool AtEnd => _i >= _s.Length;

        public SpannerError Error(string what)
            => new("INVALID_ARGUMENT", $"Invalid filter expression '{_s}': {what} at position {_i}.");

        public void SkipWs()
        {
            while (_i < _s.Length && char.IsWhiteSpace(_s[_i])) _i++;
        }

        private bool TryKeyword(string kw)
        {
            SkipWs();
            if (string.CompareOrdinal(_s, _i, kw, 0, kw.Length) != 0) return false;
            var end = _i + kw.Length;
            if (end < _s.Length && !char.IsWhiteSpace(_s[end]) && _s[end] != '(') return false;
            _i = end;
            return true;
        }

        // expression := sequence { "AND" sequence } ; juxtaposition also means AND
        public Func<Func<string, string?>, bool> ParseExpression()
        {
            var left = ParseFactor();
            while (true)
            {
                SkipWs();
                if (AtEnd || _s[_i] == ')') return left;
                TryKeyword("AND");
                var right = ParseFactor();
                var l = left;
                left = f => l(f) && right(f);
            }
        }

        // factor := term { "OR" term }
        private Func<Func<string, string?>, bool> ParseFactor()
        {
            var left = ParseTerm();
            while (TryKeyword("OR"))
            {
                var right = ParseTerm();
                var l = left;
                left = f => l(f) || right(f);
            }
            return left;
        }

        private Func<Func<string, string?>, bool> ParseTerm()
        {
            SkipWs();
            if (AtEnd) throw Error("expected a term");
            var negated = TryKeyword("NOT");
            if (!negated && _s[_i] == '-')
            {
                negated = true;
                _i++;
            }
            if (negated)
            {
                var inner = ParseTerm();
                return f => !inner(f);
            }
            SkipWs();
            if (_s[_i] == '(')
            {
                _i++;
                var inner = ParseExpression();
                SkipWs();
                if (AtEnd || _s[_i] != ')') throw Error("missing ')'");
                _i++;
                return inner;
            }
            return ParseComparison();
        }

        private Func<Func<string, string?>, bool> ParseComparison()
        {
            var start = _i;
            while (_i < _s.Length && (char.IsLetterOrDigit(_s[_i]) || _s[_i] is '_' or '.' or '@')) _i++;
            if (_i == start) throw Error("expected a field name");
            var field = Normalize(_s[start.._i]);
            SkipWs();
            string op;
            if (_i + 1 < _s.Length && (_s.AsSpan(_i, 2) is "<=" or ">=" or "!=")) { op = _s.Substring(_i, 2); _i += 2; }
            else if (_i < _s.Length && _s[_i] is ':' or '=' or '<' or '>') { op = _s[_i].ToString(); _i++; }
            else throw Error("expected an operator");
            SkipWs();
            var value = ParseValue();
            return f => Compare(f(field), op, value);
        }

        private string ParseValue()
        {
            if (AtEnd) throw Error("expected a value");
            if (_s[_i] == '"' || _s[_i] == '\'')
            {
                var quote = _s[_i++];
                var sb = new StringBuilder();
                while (_i < _s.Length && _s[_i] != quote)
                {
                    if (_s[_i] == '\\' && _i + 1 < _s.Length) _i++;
                    sb.Append(_s[_i++]);
                }
                if (AtEnd) throw Error("unterminated string");
                _i++;
                return sb.ToString();
            }
            var start = _i;
            while (_i < _s.Length && !char.IsWhiteSpace(_s[_i]) && _s[_i] != ')') _i++;
            return _s[start.._i];
        }
    }

    private static bool Compare(string? actual, string op, string expected)
    {
        if (op == ":")
        {
            if (expected == "*") return !string.IsNullOrEmpty(actual);
            return actual is not null && actual.Contains(expected, StringComparison.OrdinalIgnoreCase);
        }
        if (actual is null) return op == "!=";
        int cmp;
        if (TimeFormats.TryParseRfc3339(actual, out var ta) && TimeFormats.TryParseRfc3339(expected, out var te)) cmp = ta.CompareTo(te);
        else if (double.TryParse(actual, NumberStyles.Float, CultureInfo.InvariantCulture, out var na)
                 && double.TryParse(expected, NumberStyles.Float, CultureInfo.InvariantCulture, out var ne)) cmp = na.CompareTo(ne);
        else if (op is "=" or "!=") cmp = string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase) ? 0 : 1;
        else cmp = string.CompareOrdinal(actual, expected);
        return op switch
        {
            "=" => cmp == 0,
            "!=" => cmp != 0,
            "<" => cmp < 0,
            ">" => cmp > 0,
            "<=" => cmp <= 0,
            _ => cmp >= 0,
        };
    }
}
