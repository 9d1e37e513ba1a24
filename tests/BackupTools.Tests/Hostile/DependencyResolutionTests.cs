using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using BackupTools.Infrastructure;
using BackupTools.Tests.Infrastructure;
using Xunit;

namespace BackupTools.Tests.Hostile
{
    /// <summary>
    /// On Windows PowerShell 5.1 (.NET Framework, no load contexts, no binding redirects for a module)
    /// Flurl.Http 2.4.2's reference to Newtonsoft.Json 12.0.0.0 is bound only by the module's resolve
    /// rule. These tests run the rule on the built module's own files, on any OS.
    /// </summary>
    public sealed class DependencyResolutionTests
    {
        private static string Dependencies => Path.Combine(Repo.ModuleFolder, "dependencies");

        [Fact]
        public void FlurlsReferenceToNewtonsoft12_ResolvesToTheShippedNewtonsoft13()
        {
            var flurl = Path.Combine(Dependencies, "Flurl.Http.dll");
            var reference = ReferencesOf(flurl).Single(r => r.Name == "Newtonsoft.Json");
            Assert.Equal(new Version(12, 0, 0, 0), reference.Version); // the premise: Flurl 2.4.2 was built against 12

            var path = DependencyResolution.PathFor(reference, flurl, Repo.ModuleFolder);

            Assert.Equal(Path.Combine(Dependencies, "Newtonsoft.Json.dll"), path);
            var shipped = AssemblyName.GetAssemblyName(path!);
            Assert.Equal(13, shipped.Version!.Major);
            Assert.Equal(reference.GetPublicKeyToken(), shipped.GetPublicKeyToken());
        }

        [Fact]
        public void EveryReferenceOfTheModulesAssemblies_ToAShippedAssembly_Resolves()
        {
            // Whatever the module's assemblies ask for by name that dependencies/ holds must be answered (no version left unbound).
            var files = Directory.GetFiles(Dependencies, "*.dll").Append(Path.Combine(Repo.ModuleFolder, "BackupTools.dll")).ToList();
            var shipped = files.Select(f => Path.GetFileNameWithoutExtension(f)).ToHashSet(StringComparer.OrdinalIgnoreCase);
            foreach (var file in files)
            {
                foreach (var reference in ReferencesOf(file).Where(r => shipped.Contains(r.Name!) && r.Name != "BackupTools"))
                {
                    Assert.True(DependencyResolution.PathFor(reference, file, Repo.ModuleFolder) != null, Path.GetFileName(file) + " -> " + reference.FullName + " is not resolved");
                }
            }
        }

        [Fact]
        public void RequestsTheModuleShouldNotAnswer_AreLeftToOthers()
        {
            var newtonsoft12 = new AssemblyName("Newtonsoft.Json, Version=12.0.0.0, Culture=neutral, PublicKeyToken=30ad4fe6b2a6aeed");
            var flurl = Path.Combine(Dependencies, "Flurl.Http.dll");

            // Another module's assembly asking: not ours to answer (it may want its own copy).
            Assert.Null(DependencyResolution.PathFor(newtonsoft12, Path.Combine(Path.GetTempPath(), "OtherModule", "Other.dll"), Repo.ModuleFolder));

            // A folder whose name merely starts like the module's is not the module's.
            Assert.Null(DependencyResolution.PathFor(newtonsoft12, Repo.ModuleFolder + "Evil" + Path.DirectorySeparatorChar + "x.dll", Repo.ModuleFolder));

            // A newer version than shipped, another publisher's key, or a name with a path in it.
            Assert.Null(DependencyResolution.PathFor(new AssemblyName("Newtonsoft.Json, Version=14.0.0.0, Culture=neutral, PublicKeyToken=30ad4fe6b2a6aeed"), flurl, Repo.ModuleFolder));
            Assert.Null(DependencyResolution.PathFor(new AssemblyName("Newtonsoft.Json, Version=12.0.0.0, Culture=neutral, PublicKeyToken=0123456789abcdef"), flurl, Repo.ModuleFolder));
            Assert.Null(DependencyResolution.PathFor(new AssemblyName("NotShipped, Version=1.0.0.0"), flurl, Repo.ModuleFolder));

            // Asked by nobody in particular (RequestingAssembly null): answered, as .NET Framework often leaves it unset.
            Assert.NotNull(DependencyResolution.PathFor(newtonsoft12, null, Repo.ModuleFolder));
        }

        [Fact]
        public void TheModulesResolveHandler_UsesTheRule()
        {
            // The handler is one line over the rule; prove that line by its IL referencing DependencyResolution.PathFor.
            var handler = typeof(ModuleInitializer).GetMethod("ResolveForUs", BindingFlags.NonPublic | BindingFlags.Static)!;
            var body = handler.GetMethodBody()!.GetILAsByteArray()!;
            var module = handler.Module;
            var calls = Enumerable.Range(0, body.Length - 4).Where(i => body[i] == 0x28).Select(i => BitConverter.ToInt32(body, i + 1))
                .Select(token => { try { return module.ResolveMethod(token); } catch (ArgumentException) { return null; } })
                .Where(m => m != null).Select(m => m!.DeclaringType!.Name + "." + m.Name).ToList();
            Assert.Contains("DependencyResolution.PathFor", calls);
        }

        private static AssemblyName[] ReferencesOf(string path)
        {
            using var stream = File.OpenRead(path);
            using var pe = new PEReader(stream);
            var md = pe.GetMetadataReader();
            return md.AssemblyReferences.Select(h => md.GetAssemblyReference(h).GetAssemblyName()).ToArray();
        }
    }
}
