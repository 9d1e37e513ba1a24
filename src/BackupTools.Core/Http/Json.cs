using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace BackupTools.Http
{
    /// <summary>
    /// The JSON settings of the module. Timestamps are kept as strings while parsing (Newtonsoft would
    /// otherwise turn them into local DateTime values and lose the offset); models parse them
    /// explicitly. Unknown fields are ignored: services add fields without notice.
    /// </summary>
    public static class Json
    {
        public static readonly JsonSerializerSettings Settings = new JsonSerializerSettings
        {
            DateParseHandling = DateParseHandling.None,
            NullValueHandling = NullValueHandling.Ignore,
            MissingMemberHandling = MissingMemberHandling.Ignore,
            Formatting = Formatting.None,
        };

        public static string Serialize(object value) => JsonConvert.SerializeObject(value, Settings);

        public static JObject ParseObject(string text)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return new JObject();
            }

            return JsonConvert.DeserializeObject<JObject>(text, Settings) ?? new JObject();
        }
    }
}
