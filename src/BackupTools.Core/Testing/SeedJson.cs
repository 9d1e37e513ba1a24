using System.Collections;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace BackupTools.Testing
{
    /// <summary>
    /// An emulator seed given as data (a hashtable in PowerShell, already unwrapped to dictionaries,
    /// lists and values) written as the JSON the emulator reads. Its property names match without
    /// regard to case, so @{ Spanner = @{ Projects = @(...) } } works as written.
    /// </summary>
    public static class SeedJson
    {
        public static string From(IDictionary seed) => JToken.FromObject(seed).ToString(Formatting.None);
    }
}
