namespace Flurl
{
    /// <summary>Not the real Flurl.Url: if BackupTools bound to this one, its HTTP calls would fail.</summary>
    public sealed class Url
    {
        public static string WhoAmI() => "the other module's Flurl 9.9.9";
    }
}
