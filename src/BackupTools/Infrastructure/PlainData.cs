using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;

namespace BackupTools.Infrastructure
{
    /// <summary>
    /// PowerShell data (hashtables, PSCustomObjects from ConvertFrom-Json, arrays, wrapped values) as
    /// plain dictionaries, lists and values, which the core can serialise without knowing PowerShell.
    /// </summary>
    internal static class PlainData
    {
        private const int MaxDepth = 32;

        public static object? From(object? value, int depth = 0)
        {
            if (depth > MaxDepth)
            {
                throw new PSArgumentException("The data is nested more than " + MaxDepth + " levels deep.");
            }

            if (value is PSObject pso)
            {
                if (pso.BaseObject is PSCustomObject)
                {
                    var fromProperties = new Dictionary<string, object?>();
                    foreach (var p in pso.Properties)
                    {
                        fromProperties[p.Name] = From(p.Value, depth + 1);
                    }

                    return fromProperties;
                }

                value = pso.BaseObject;
            }

            switch (value)
            {
                case null:
                case string _:
                    return value;
                case IDictionary dictionary:
                    var plain = new Dictionary<string, object?>();
                    foreach (DictionaryEntry entry in dictionary)
                    {
                        plain[entry.Key?.ToString() ?? string.Empty] = From(entry.Value, depth + 1);
                    }

                    return plain;
                case IEnumerable many:
                    var list = new List<object?>();
                    foreach (var item in many)
                    {
                        list.Add(From(item, depth + 1));
                    }

                    return list;
                case Duration duration:
                    return duration.ToString();
                case System.TimeSpan span:
                    return new Duration(span).ToString();
                default:
                    return value;
            }
        }
    }
}
