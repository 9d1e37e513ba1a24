namespace System.Runtime.CompilerServices
{
    /// <summary>
    /// The compiler's module-initializer marker, which netstandard2.0 lacks: the C# compiler emits the
    /// method into the module constructor, which both .NET and .NET Framework run before first use.
    /// </summary>
    [AttributeUsage(AttributeTargets.Method, Inherited = false)]
    internal sealed class ModuleInitializerAttribute : Attribute
    {
    }
}
