using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using BackupTools.Auth;
using BackupTools.Tests.Infrastructure;
using Xunit;

namespace BackupTools.Tests.Help
{
    /// <summary>One hosted-engine session with the built module (and its en-US help) imported, shared by the help tests.</summary>
    public sealed class HelpSessionFixture : IDisposable
    {
        public PsSession Shell { get; } = new PsSession();

        public void Dispose() => Shell.Dispose();
    }

    /// <summary>
    /// The help that ships with the module: docs/cmdlets/*.md and docs/about_BackupTools.md, built into
    /// artifacts/module/BackupTools/en-US by src/BackupTools.HelpBuilder.
    ///
    /// Every example's code (the ```powershell blocks under "## EXAMPLES") runs against the emulator in
    /// a fresh session, prepared as an operator's would be after connecting:
    /// - $PSDefaultParameterValues points every Spanner and Gauss cmdlet at the emulator (-Endpoint);
    /// - Connect-GaussCloud has been run with the emulator's AK/SK (DEMOACCESSKEY0000000 / demo-secret-key)
    ///   and project 0b5c7f3a9d2e4f6a8b1c3d5e7f9a0b2c, so Gauss examples need no credential parameters;
    /// - $cred is the emulator's IAM user (demo-user / demo-password, domain demo-account) as a PSCredential;
    /// - $secretKey is the emulator's secret key (demo-secret-key) as a SecureString;
    /// - $rootPassword is a root password for new GaussDB instances, as a SecureString.
    /// An example passes when it runs without any error record (errors it catches itself are its business).
    /// </summary>
    public sealed class HelpTests : IClassFixture<HelpSessionFixture>
    {
        private const string GaussProject = "0b5c7f3a9d2e4f6a8b1c3d5e7f9a0b2c";
        private readonly PsSession _shell;

        public HelpTests(HelpSessionFixture fixture) => _shell = fixture.Shell;

        public static IEnumerable<object[]> Cmdlets() => ExportedCmdlets().Select(c => new object[] { c });

        public static IEnumerable<object[]> Examples()
        {
            foreach (var file in Directory.GetFiles(Repo.File("docs", "cmdlets"), "*.md").Concat(Directory.GetFiles(Repo.File("docs"), "about_*.md")).OrderBy(f => f, StringComparer.Ordinal))
            {
                var examples = ExampleBlocks(File.ReadAllText(file));
                for (var i = 0; i < examples.Count; i++)
                {
                    yield return new object[] { Path.GetFileNameWithoutExtension(file), i + 1 };
                }
            }
        }

        [Theory]
        [MemberData(nameof(Cmdlets))]
        public void GetHelpFull_HasSynopsisDescriptionEveryParameterAndExamples(string name)
        {
            var r = _shell.Run("Get-Help -Name $args[0] -Full", name);
            Assert.Empty(r.AllErrors);
            var help = Assert.Single(r.Output);

            Assert.Equal("BackupTools", help.Properties["ModuleName"]?.Value?.ToString());
            var synopsis = help.Properties["Synopsis"]?.Value?.ToString() ?? string.Empty;
            Assert.False(string.IsNullOrWhiteSpace(synopsis));
            Assert.DoesNotContain("[<CommonParameters>]", synopsis); // what Get-Help shows when a cmdlet has no help
            Assert.NotEmpty(Paras(help.Properties["description"]?.Value));

            var documented = Items(Prop(help, "parameters"), "parameter").ToDictionary(p => p.Properties["name"].Value.ToString()!, StringComparer.OrdinalIgnoreCase);
            foreach (var parameter in RealParameters(name))
            {
                Assert.True(documented.TryGetValue(parameter, out var p), name + " -" + parameter + " has no help.");
                Assert.True(Paras(p!.Properties["description"]?.Value).Any(t => t.Length > 20), name + " -" + parameter + " has no description.");
            }

            var examples = Items(Prop(help, "examples"), "example").ToList();
            Assert.NotEmpty(examples);
            Assert.All(examples, e => Assert.False(string.IsNullOrWhiteSpace(e.Properties["code"]?.Value?.ToString())));
        }

        [Fact]
        public void MarkdownDocumentsExactlyTheRealCmdletsAndParameters()
        {
            var problems = new List<string>();
            var files = Directory.GetFiles(Repo.File("docs", "cmdlets"), "*.md").ToDictionary(f => Path.GetFileNameWithoutExtension(f)!, f => File.ReadAllText(f), StringComparer.Ordinal);
            var exported = ExportedCmdlets().ToList();
            problems.AddRange(exported.Where(c => !files.ContainsKey(c)).Select(c => c + " is exported but has no docs/cmdlets/" + c + ".md"));
            problems.AddRange(files.Keys.Where(f => !exported.Contains(f)).Select(f => "docs/cmdlets/" + f + ".md documents a cmdlet that is not exported"));

            foreach (var name in exported.Where(files.ContainsKey))
            {
                var text = files[name].Replace("\r\n", "\n");
                if (!text.Contains("\n# " + name + "\n"))
                {
                    problems.Add(name + ".md: no '# " + name + "' title");
                }

                foreach (var section in new[] { "SYNOPSIS", "SYNTAX", "DESCRIPTION", "EXAMPLES", "PARAMETERS", "INPUTS", "OUTPUTS", "NOTES", "RELATED LINKS" })
                {
                    if (!text.Contains("\n## " + section + "\n"))
                    {
                        problems.Add(name + ".md: no '## " + section + "' section");
                    }
                }

                var docs = DocumentedParameters(text);
                var real = Metadata(name);
                problems.AddRange(real.Keys.Where(p => !docs.ContainsKey(p)).Select(p => name + " -" + p + " is not documented"));
                problems.AddRange(docs.Keys.Where(p => !real.ContainsKey(p)).Select(p => name + ".md documents -" + p + ", which the cmdlet does not have"));
                foreach (var (parameter, meta) in real.Where(p => docs.ContainsKey(p.Key)))
                {
                    var doc = docs[parameter];
                    foreach (var (key, value) in meta)
                    {
                        if (!doc.TryGetValue(key, out var documented) || documented != value)
                        {
                            problems.Add(name + " -" + parameter + ": docs say " + key + " '" + (documented ?? "(missing)") + "', the cmdlet has '" + value + "'");
                        }
                    }
                }
            }

            Assert.True(problems.Count == 0, string.Join("\n", problems));
        }

        [Fact]
        public void AboutTopic_IsFoundByGetHelp()
        {
            var r = _shell.Run("Get-Help about_BackupTools");
            Assert.Empty(r.AllErrors);
            var text = string.Join("\n", r.Output.Select(o => o.ToString()));
            Assert.Contains("about_BackupTools", text);
            Assert.Contains("SHORT DESCRIPTION", text);
            Assert.Contains("HUAWEICLOUD_SDK_AK", text);
            Assert.Contains("WaitBackupOperationTimedOut", text);
            Assert.Contains("Retry-After", text);

            var list = _shell.Run("Get-Help -Name about_Backup* -Category HelpFile | ForEach-Object { $_.Name }");
            Assert.Contains("about_BackupTools", list.Output.Select(o => o.ToString()));
        }

        [Fact]
        public void NewSpannerBackupHelp_ReadsLikeAFirstClassModule()
        {
            var r = _shell.Run("Get-Help New-SpannerBackup -Full");
            Assert.Empty(r.AllErrors);
            var help = Assert.Single(r.Output);
            Assert.Equal("Cmdlet", help.Properties["Category"].Value.ToString());
            Assert.StartsWith("Starts a Cloud Spanner backup", help.Properties["Synopsis"].Value.ToString());

            var details = Prop(help, "details")!;
            Assert.Equal("New", details.Properties["verb"].Value.ToString());
            Assert.Equal("SpannerBackup", details.Properties["noun"].Value.ToString());

            // Syntax: one item per parameter set, each with typed parameters.
            var syntax = Items(Prop(help, "syntax"), "syntaxItem").ToList();
            Assert.Equal(2, syntax.Count);
            var sets = syntax.Select(s => Items(s, "parameter").Select(p => p.Properties["name"].Value.ToString()).ToList()).ToList();
            Assert.Contains(sets, s => s.Contains("RetentionPeriod") && !s.Contains("ExpireTime"));
            Assert.Contains(sets, s => s.Contains("ExpireTime") && !s.Contains("RetentionPeriod"));

            // Parameters: types, positions, pipeline input, aliases and defaults as the cmdlet has them.
            var parameters = Items(Prop(help, "parameters"), "parameter").ToDictionary(p => p.Properties["name"].Value.ToString()!);
            Assert.Equal("String", TypeName(parameters["Project"]));
            Assert.Equal("0", parameters["Project"].Properties["position"].Value.ToString());
            Assert.Equal("true", parameters["Project"].Properties["required"].Value.ToString());
            Assert.Equal("True (ByPropertyName)", parameters["Database"].Properties["pipelineInput"].Value.ToString());
            Assert.Equal("DatabaseId", parameters["Database"].Properties["aliases"].Value.ToString());
            Assert.Equal("Duration", TypeName(parameters["RetentionPeriod"]));
            Assert.Equal("7 days", parameters["RetentionPeriod"].Properties["defaultValue"].Value.ToString());
            Assert.Equal("16", parameters["ThrottleLimit"].Properties["defaultValue"].Value.ToString());
            Assert.Equal("SecureString", TypeName(parameters["AccessToken"]));
            Assert.Equal("String[]", TypeName(parameters["KmsKeyName"]));
            Assert.Contains("'7d'", string.Join(" ", Paras(parameters["RetentionPeriod"].Properties["description"].Value)));

            // Examples with code and remarks, inputs, outputs, notes and related links.
            var examples = Items(Prop(help, "examples"), "example").ToList();
            Assert.True(examples.Count >= 3);
            Assert.All(examples, e =>
            {
                Assert.Contains("Example", e.Properties["title"].Value.ToString());
                Assert.Contains("New-SpannerBackup", e.Properties["code"].Value.ToString());
                Assert.NotEmpty(Paras(e.Properties["remarks"].Value));
            });
            Assert.Contains(Items(Prop(help, "returnValues"), "returnValue"), v => TypeName(v) == "BackupTools.Spanner.SpannerBackupOperation");
            Assert.NotEmpty(Items(Prop(help, "inputTypes"), "inputType"));
            Assert.Contains("NoCredentials", string.Join(" ", Items(Prop(help, "alertSet"), "alert").SelectMany(a => Paras(a))));
            var links = Items(Prop(help, "relatedLinks"), "navigationLink").Select(l => l.Properties["linkText"].Value.ToString()).ToList();
            Assert.Contains("Online Version:", links);
            Assert.Contains("Wait-BackupOperation", links);
            Assert.Contains("about_BackupTools", links);

            // The parameter view a user asks for most.
            var one = _shell.Run("Get-Help New-SpannerBackup -Parameter RetentionPeriod");
            Assert.Empty(one.AllErrors);
            Assert.Equal("RetentionPeriod", Assert.Single(one.Output).Properties["name"].Value.ToString());
        }

        [Theory]
        [MemberData(nameof(Examples))]
        public async Task Example_RunsAgainstTheEmulator(string topic, int number)
        {
            var file = topic.StartsWith("about_", StringComparison.Ordinal) ? Repo.File("docs", topic + ".md") : Repo.File("docs", "cmdlets", topic + ".md");
            var code = ExampleBlocks(File.ReadAllText(file))[number - 1];
            if (StartsProcesses(topic))
            {
                // Examples that start the emulator themselves run in a fresh pwsh, as a user's script would:
                // the endpoint variables they set are process-wide and must not reach the tests running beside them.
                var (exit, output) = Pwsh.Run("$ErrorActionPreference = 'Stop'\nImport-Module $ModulePath\n" + code);
                Assert.True(exit == 0, topic + " example " + number + " failed:\n" + code + "\n---\n" + output);
                return;
            }

            await using var s = await EmulatorSession.StartAsync();
            s.Shell.SetVariable("secretKey", SecretText.Protect("demo-secret-key"));
            s.Shell.SetVariable("rootPassword", SecretText.Protect("Drill-2026-pw"));
            s.Shell.SetVariable("cred", new PSCredential("demo-user", SecretText.Protect("demo-password")));
            var connect = s.Run("Connect-GaussCloud -Region eu-de -AccessKey DEMOACCESSKEY0000000 -SecretKey $secretKey -ProjectId $args[0]", GaussProject);
            Assert.Empty(connect.AllErrors);

            var r = s.Run(code);
            Assert.True(!r.AllErrors.Any(), topic + " example " + number + " failed:\n" + code + "\n---\n" + string.Join("\n", r.AllErrors.Select(e => e.FullyQualifiedErrorId + ": " + e)));
        }

        private static bool StartsProcesses(string topic) => topic is "Start-BackupEmulator" or "Stop-BackupEmulator" or "about_BackupTools_Testing";

        /// <summary>The code blocks under "## EXAMPLES" of a markdown help file, in order.</summary>
        private static List<string> ExampleBlocks(string markdown)
        {
            var text = markdown.Replace("\r\n", "\n");
            var start = text.IndexOf("\n## EXAMPLES\n", StringComparison.Ordinal);
            if (start < 0)
            {
                return new List<string>();
            }

            var end = text.IndexOf("\n## ", start + 5, StringComparison.Ordinal);
            var section = end < 0 ? text.Substring(start) : text.Substring(start, end - start);
            return Regex.Matches(section, "```powershell\n(.*?)\n```", RegexOptions.Singleline).Select(m => m.Groups[1].Value).ToList();
        }

        private static IEnumerable<string> ExportedCmdlets()
        {
            var manifest = File.ReadAllText(Repo.File("BackupTools.psd1"));
            var block = Regex.Match(manifest, @"CmdletsToExport\s*=\s*@\((.*?)\)", RegexOptions.Singleline).Groups[1].Value;
            return Regex.Matches(block, "'([^']+)'").Select(m => m.Groups[1].Value).OrderBy(n => n, StringComparer.Ordinal).ToList();
        }

        private IEnumerable<string> RealParameters(string name) => Metadata(name).Keys;

        /// <summary>Each non-common parameter of the real cmdlet with the facts its docs' yaml block must state.</summary>
        private Dictionary<string, Dictionary<string, string>> Metadata(string name)
        {
            var r = _shell.Run("Get-Command -Name $args[0] -Module BackupTools", name);
            Assert.Empty(r.AllErrors);
            var info = (CmdletInfo)Assert.Single(r.Output).BaseObject;
            var result = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
            foreach (var p in info.Parameters.Values.Where(p => !Cmdlet.CommonParameters.Contains(p.Name)))
            {
                var type = Nullable.GetUnderlyingType(p.ParameterType) ?? p.ParameterType;
                var sets = p.ParameterSets.Keys.Contains(ParameterAttribute.AllParameterSets) ? "(All)" : string.Join(", ", p.ParameterSets.Keys.OrderBy(k => k, StringComparer.Ordinal));
                var attributes = p.ParameterSets.Values.ToList();
                var position = attributes.Select(a => a.Position).Where(n => n >= 0).Distinct().ToList();
                result[p.Name] = new Dictionary<string, string>
                {
                    ["Type"] = type.Name,
                    ["Parameter Sets"] = sets,
                    ["Aliases"] = string.Join(", ", p.Aliases),
                    ["Required"] = attributes.Any(a => a.IsMandatory) ? "True" : "False",
                    ["Position"] = position.Count == 1 ? position[0].ToString(System.Globalization.CultureInfo.InvariantCulture) : "Named",
                    ["Accept pipeline input"] = attributes.Any(a => a.ValueFromPipeline) ? "True (ByValue)" : attributes.Any(a => a.ValueFromPipelineByPropertyName) ? "True (ByPropertyName)" : "False",
                };
            }

            return result;
        }

        /// <summary>"### -Name" headings under "## PARAMETERS" with the key: value lines of their yaml block.</summary>
        private static Dictionary<string, Dictionary<string, string>> DocumentedParameters(string markdown)
        {
            var result = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
            var start = markdown.IndexOf("\n## PARAMETERS\n", StringComparison.Ordinal);
            var end = markdown.IndexOf("\n## INPUTS\n", StringComparison.Ordinal);
            if (start < 0 || end < start)
            {
                return result;
            }

            foreach (Match m in Regex.Matches(markdown.Substring(start, end - start), @"\n### -(\S+)\n(.*?)```yaml\n(.*?)```", RegexOptions.Singleline))
            {
                var meta = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var line in m.Groups[3].Value.Split('\n'))
                {
                    var colon = line.IndexOf(':');
                    if (colon > 0)
                    {
                        meta[line.Substring(0, colon).Trim()] = line.Substring(colon + 1).Trim();
                    }
                }

                result[m.Groups[1].Value] = meta;
            }

            return result;
        }

        private static PSObject? Prop(PSObject? o, string name) => o?.Properties[name]?.Value is { } v ? PSObject.AsPSObject(v) : null;

        private static IEnumerable<PSObject> Items(PSObject? container, string name)
        {
            var value = container?.Properties[name]?.Value;
            if (value == null)
            {
                return Enumerable.Empty<PSObject>();
            }

            return value is object[] array ? array.Select(PSObject.AsPSObject) : new[] { PSObject.AsPSObject(value) };
        }

        /// <summary>The text of a MAML description: an array (or one) of objects with a Text property.</summary>
        private static List<string> Paras(object? description)
        {
            if (description == null)
            {
                return new List<string>();
            }

            var items = description is object[] array ? array : new[] { description };
            return items.Select(i => PSObject.AsPSObject(i).Properties["Text"]?.Value?.ToString() ?? string.Empty).Where(t => t.Trim().Length > 0).ToList();
        }

        private static string TypeName(PSObject parameterOrValue) => Prop(Prop(parameterOrValue, "type"), "name")?.ToString() ?? string.Empty;
    }
}
