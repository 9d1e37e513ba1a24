using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Xml;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace BackupTools.HelpBuilder
{
    /// <summary>
    /// backuptools-helpbuilder &lt;docs folder&gt; &lt;output folder&gt;
    /// Reads docs/cmdlets/*.md (platyPS command-help layout) and docs/about_*.md, and writes
    /// BackupTools.dll-Help.xml (MAML) and about_*.help.txt into the output folder. Any structural
    /// problem (a missing section, a parameter without its yaml block) fails the build with the file named.
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            if (args.Length != 2)
            {
                Console.Error.WriteLine("usage: BackupTools.HelpBuilder <docs folder> <output folder>");
                return 2;
            }

            try
            {
                var docs = args[0];
                var output = args[1];
                Directory.CreateDirectory(output);
                var commands = Directory.GetFiles(Path.Combine(docs, "cmdlets"), "*.md")
                    .OrderBy(f => f, StringComparer.Ordinal)
                    .Select(CommandDoc.Parse)
                    .ToList();
                MamlWriter.Write(commands, Path.Combine(output, "BackupTools.dll-Help.xml"));
                foreach (var about in Directory.GetFiles(docs, "about_*.md"))
                {
                    var text = AboutWriter.Convert(File.ReadAllText(about));
                    File.WriteAllText(Path.Combine(output, Path.GetFileNameWithoutExtension(about) + ".help.txt"), text, new UTF8Encoding(false));
                }

                Console.WriteLine("BackupTools.HelpBuilder: " + commands.Count + " commands -> " + Path.GetFullPath(output));
                return 0;
            }
            catch (HelpFormatException ex)
            {
                Console.Error.WriteLine("error BTHELP001: " + ex.Message);
                return 1;
            }
        }
    }

    public sealed class HelpFormatException : Exception
    {
        public HelpFormatException(string message)
            : base(message)
        {
        }
    }

    public sealed class ParameterDoc
    {
        public string Name { get; set; } = string.Empty;

        public List<string> Description { get; } = new List<string>();

        public Dictionary<string, string> Meta { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        public string Get(string key, string fallback = "") => Meta.TryGetValue(key, out var v) ? v : fallback;

        public string Type => Get("Type", "Object");

        public bool IsSwitch => Type == "SwitchParameter";

        public IReadOnlyList<string> Sets => Get("Parameter Sets", "(All)").Split(',').Select(s => s.Trim()).Where(s => s.Length > 0).ToList();
    }

    public sealed class ExampleDoc
    {
        public string Title { get; set; } = string.Empty;

        public string Code { get; set; } = string.Empty;

        public List<string> Remarks { get; } = new List<string>();
    }

    public sealed class TypeDoc
    {
        public string Name { get; set; } = string.Empty;

        public List<string> Description { get; } = new List<string>();
    }

    public sealed class CommandDoc
    {
        public string File { get; set; } = string.Empty;

        public string Name { get; set; } = string.Empty;

        public Dictionary<string, string> FrontMatter { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        public List<string> Synopsis { get; } = new List<string>();

        public List<string> Description { get; } = new List<string>();

        /// <summary>Parameter set names in the order of the SYNTAX section (empty: one set).</summary>
        public List<string> SyntaxSets { get; } = new List<string>();

        public List<ExampleDoc> Examples { get; } = new List<ExampleDoc>();

        public List<ParameterDoc> Parameters { get; } = new List<ParameterDoc>();

        public List<TypeDoc> Inputs { get; } = new List<TypeDoc>();

        public List<TypeDoc> Outputs { get; } = new List<TypeDoc>();

        public List<string> Notes { get; } = new List<string>();

        public List<(string Text, string Uri)> Links { get; } = new List<(string, string)>();

        public static CommandDoc Parse(string path)
        {
            var doc = new CommandDoc { File = path };
            var text = Markdown.StripFrontMatter(System.IO.File.ReadAllText(path).Replace("\r\n", "\n"), doc.FrontMatter);
            var md = Markdig.Markdown.Parse(text);
            string? section = null;
            ParameterDoc? parameter = null;
            ExampleDoc? example = null;
            TypeDoc? type = null;
            foreach (var block in md)
            {
                if (block is HeadingBlock h)
                {
                    var title = Markdown.InlineText(h.Inline).Trim();
                    if (h.Level == 1)
                    {
                        doc.Name = title;
                    }
                    else if (h.Level == 2)
                    {
                        section = title.ToUpperInvariant();
                        parameter = null;
                        example = null;
                        type = null;
                    }
                    else if (h.Level == 3)
                    {
                        switch (section)
                        {
                            case "SYNTAX":
                                doc.SyntaxSets.Add(title.Replace("(Default)", string.Empty).Trim());
                                break;
                            case "EXAMPLES":
                                example = new ExampleDoc { Title = title };
                                doc.Examples.Add(example);
                                break;
                            case "PARAMETERS":
                                parameter = title == "CommonParameters" ? null : new ParameterDoc { Name = title.TrimStart('-') };
                                if (parameter != null)
                                {
                                    doc.Parameters.Add(parameter);
                                }

                                break;
                            case "INPUTS":
                                type = new TypeDoc { Name = title };
                                doc.Inputs.Add(type);
                                break;
                            case "OUTPUTS":
                                type = new TypeDoc { Name = title };
                                doc.Outputs.Add(type);
                                break;
                        }
                    }

                    continue;
                }

                switch (section)
                {
                    case "SYNOPSIS":
                        doc.Synopsis.AddRange(Markdown.Paragraphs(block));
                        break;
                    case "DESCRIPTION":
                        doc.Description.AddRange(Markdown.Paragraphs(block));
                        break;
                    case "NOTES":
                        doc.Notes.AddRange(Markdown.Paragraphs(block));
                        break;
                    case "EXAMPLES" when example != null:
                        if (block is FencedCodeBlock code)
                        {
                            example.Code = (example.Code.Length > 0 ? example.Code + "\n" : string.Empty) + Markdown.CodeText(code);
                        }
                        else
                        {
                            example.Remarks.AddRange(Markdown.Paragraphs(block));
                        }

                        break;
                    case "PARAMETERS" when parameter != null:
                        if (block is FencedCodeBlock yaml)
                        {
                            foreach (var line in Markdown.CodeText(yaml).Split('\n'))
                            {
                                var colon = line.IndexOf(':');
                                if (colon > 0)
                                {
                                    parameter.Meta[line.Substring(0, colon).Trim()] = line.Substring(colon + 1).Trim();
                                }
                            }
                        }
                        else
                        {
                            parameter.Description.AddRange(Markdown.Paragraphs(block));
                        }

                        break;
                    case "INPUTS" when type != null:
                    case "OUTPUTS" when type != null:
                        type!.Description.AddRange(Markdown.Paragraphs(block));
                        break;
                    case "RELATED LINKS":
                        doc.Links.AddRange(Markdown.Links(block));
                        break;
                }
            }

            doc.Validate();
            return doc;
        }

        private void Validate()
        {
            var file = Path.GetFileName(File);
            if (Name + ".md" != file)
            {
                throw new HelpFormatException(file + ": the title '# " + Name + "' does not match the file name.");
            }

            if (Synopsis.Count == 0 || Description.Count == 0)
            {
                throw new HelpFormatException(file + ": SYNOPSIS and DESCRIPTION must not be empty.");
            }

            foreach (var p in Parameters)
            {
                if (!p.Meta.ContainsKey("Type") || p.Description.Count == 0)
                {
                    throw new HelpFormatException(file + ": parameter -" + p.Name + " needs a description and a yaml block with Type.");
                }
            }

            foreach (var e in Examples)
            {
                if (e.Code.Length == 0)
                {
                    throw new HelpFormatException(file + ": example '" + e.Title + "' has no code block.");
                }
            }
        }
    }

    /// <summary>Markdown helpers: plain text out of Markdig's tree.</summary>
    public static class Markdown
    {
        public static string StripFrontMatter(string text, IDictionary<string, string> into)
        {
            if (!text.StartsWith("---\n", StringComparison.Ordinal))
            {
                return text;
            }

            var end = text.IndexOf("\n---\n", 4, StringComparison.Ordinal);
            if (end < 0)
            {
                return text;
            }

            foreach (var line in text.Substring(4, end - 4).Split('\n'))
            {
                var colon = line.IndexOf(':');
                if (colon > 0)
                {
                    into[line.Substring(0, colon).Trim()] = line.Substring(colon + 1).Trim();
                }
            }

            return text.Substring(end + 5);
        }

        public static string CodeText(LeafBlock code) => string.Join("\n", code.Lines.Lines.Take(code.Lines.Count).Select(l => l.ToString())).TrimEnd();

        /// <summary>A block as paragraphs of plain text: list items become "- item" paragraphs, code stays verbatim.</summary>
        public static IEnumerable<string> Paragraphs(Block block)
        {
            switch (block)
            {
                case ParagraphBlock p:
                    yield return InlineText(p.Inline);
                    break;
                case FencedCodeBlock or CodeBlock:
                    yield return CodeText((LeafBlock)block);
                    break;
                case ListBlock list:
                    var n = 1;
                    foreach (var item in list.OfType<ListItemBlock>())
                    {
                        var text = string.Join(" ", item.SelectMany(Paragraphs));
                        yield return (list.IsOrdered ? n++ + ". " : "- ") + text;
                    }

                    break;
                case QuoteBlock q:
                    foreach (var inner in q.SelectMany(Paragraphs))
                    {
                        yield return inner;
                    }

                    break;
                case Markdig.Extensions.Tables.Table:
                case ThematicBreakBlock:
                    break;
                case ContainerBlock c:
                    foreach (var inner in c.SelectMany(Paragraphs))
                    {
                        yield return inner;
                    }

                    break;
                case LeafBlock leaf when leaf.Inline != null:
                    yield return InlineText(leaf.Inline);
                    break;
            }
        }

        public static IEnumerable<(string Text, string Uri)> Links(Block block)
        {
            var paragraphs = block is ParagraphBlock single ? new[] { single } : block.Descendants<ParagraphBlock>();
            foreach (var paragraph in paragraphs)
            {
                if (paragraph.Inline == null)
                {
                    continue;
                }

                foreach (var link in paragraph.Inline.Descendants<LinkInline>())
                {
                    yield return (InlineText(link), link.Url ?? string.Empty);
                }
            }
        }

        public static string InlineText(ContainerInline? inline)
        {
            if (inline == null)
            {
                return string.Empty;
            }

            var sb = new StringBuilder();
            foreach (var child in inline)
            {
                switch (child)
                {
                    case LiteralInline lit:
                        sb.Append(lit.Content.ToString());
                        break;
                    case CodeInline code:
                        sb.Append(code.Content);
                        break;
                    case LineBreakInline:
                        sb.Append(' ');
                        break;
                    case LinkInline link:
                        sb.Append(InlineText(link));
                        break;
                    case HtmlEntityInline entity:
                        sb.Append(entity.Transcoded.ToString());
                        break;
                    case ContainerInline container:
                        sb.Append(InlineText(container));
                        break;
                    case HtmlInline html:
                        sb.Append(html.Tag);
                        break;
                }
            }

            return sb.ToString();
        }
    }

    /// <summary>Writes the MAML (command schema) that Get-Help reads for binary cmdlets.</summary>
    public static class MamlWriter
    {
        private const string Maml = "http://schemas.microsoft.com/maml/2004/10";
        private const string Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        private const string Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

        public static void Write(IReadOnlyList<CommandDoc> commands, string path)
        {
            var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false) };
            using var w = XmlWriter.Create(path, settings);
            w.WriteStartDocument();
            w.WriteStartElement("helpItems", "http://msh");
            w.WriteAttributeString("schema", "maml");
            w.WriteAttributeString("xmlns", "maml", null, Maml);
            w.WriteAttributeString("xmlns", "command", null, Command);
            w.WriteAttributeString("xmlns", "dev", null, Dev);
            w.WriteAttributeString("xmlns", "MSHelp", null, "http://msdn.microsoft.com/mshelp");
            foreach (var c in commands)
            {
                WriteCommand(w, c);
            }

            w.WriteEndElement();
            w.WriteEndDocument();
        }

        private static void WriteCommand(XmlWriter w, CommandDoc c)
        {
            var dash = c.Name.IndexOf('-');
            w.WriteStartElement("command", "command", Command);
            w.WriteStartElement("command", "details", Command);
            w.WriteElementString("command", "name", Command, c.Name);
            w.WriteElementString("command", "verb", Command, c.Name.Substring(0, dash));
            w.WriteElementString("command", "noun", Command, c.Name.Substring(dash + 1));
            Paras(w, "description", c.Synopsis);
            w.WriteEndElement();
            Paras(w, "description", c.Description);

            w.WriteStartElement("command", "syntax", Command);
            var sets = c.SyntaxSets.Count > 0 ? c.SyntaxSets : new List<string> { "(All)" };
            foreach (var set in sets)
            {
                w.WriteStartElement("command", "syntaxItem", Command);
                w.WriteElementString("maml", "name", Maml, c.Name);
                var inSet = c.Parameters
                    .Where(p => set == "(All)" || p.Sets.Contains("(All)") || p.Sets.Contains(set))
                    .OrderBy(p => int.TryParse(p.Get("Position"), out var pos) ? pos : int.MaxValue)
                    .ThenBy(p => p.Get("Required").StartsWith("True", StringComparison.OrdinalIgnoreCase) ? 0 : 1);
                foreach (var p in inSet)
                {
                    WriteParameter(w, p, set);
                }

                w.WriteEndElement();
            }

            w.WriteEndElement();

            w.WriteStartElement("command", "parameters", Command);
            foreach (var p in c.Parameters)
            {
                WriteParameter(w, p, null);
            }

            w.WriteEndElement();

            TypeList(w, "inputTypes", "inputType", c.Inputs);
            TypeList(w, "returnValues", "returnValue", c.Outputs);

            w.WriteStartElement("maml", "alertSet", Maml);
            w.WriteStartElement("maml", "alert", Maml);
            foreach (var note in c.Notes)
            {
                w.WriteElementString("maml", "para", Maml, note);
            }

            w.WriteEndElement();
            w.WriteEndElement();

            w.WriteStartElement("command", "examples", Command);
            foreach (var e in c.Examples)
            {
                w.WriteStartElement("command", "example", Command);
                w.WriteElementString("maml", "title", Maml, "-------------------------- " + e.Title + " --------------------------");
                w.WriteElementString("dev", "code", Dev, e.Code);
                w.WriteStartElement("dev", "remarks", Dev);
                foreach (var r in e.Remarks)
                {
                    w.WriteElementString("maml", "para", Maml, r);
                }

                w.WriteEndElement();
                w.WriteEndElement();
            }

            w.WriteEndElement();

            w.WriteStartElement("command", "relatedLinks", Command);
            if (c.FrontMatter.TryGetValue("online version", out var online) && online.Length > 0)
            {
                Link(w, "Online Version:", online);
            }

            foreach (var (text, uri) in c.Links)
            {
                Link(w, text, uri);
            }

            w.WriteEndElement();
            w.WriteEndElement();
        }

        private static void WriteParameter(XmlWriter w, ParameterDoc p, string? set)
        {
            var required = p.Get("Required", "False").StartsWith("True", StringComparison.OrdinalIgnoreCase);
            var position = p.Get("Position", "Named");
            var pipeline = p.Get("Accept pipeline input", "False");
            var globbing = p.Get("Accept wildcard characters", "False");
            var aliases = p.Get("Aliases", "None");
            w.WriteStartElement("command", "parameter", Command);
            w.WriteAttributeString("required", required ? "true" : "false");
            w.WriteAttributeString("variableLength", p.Type.EndsWith("[]", StringComparison.Ordinal) ? "true" : "false");
            w.WriteAttributeString("globbing", globbing.StartsWith("True", StringComparison.OrdinalIgnoreCase) ? "true" : "false");
            w.WriteAttributeString("pipelineInput", pipeline);
            w.WriteAttributeString("position", position.Equals("Named", StringComparison.OrdinalIgnoreCase) ? "named" : position);
            w.WriteAttributeString("aliases", aliases);
            w.WriteElementString("maml", "name", Maml, p.Name);
            Paras(w, "description", p.Description);
            if (set == null || !p.IsSwitch)
            {
                w.WriteStartElement("command", "parameterValue", Command);
                w.WriteAttributeString("required", p.IsSwitch ? "false" : "true");
                w.WriteAttributeString("variableLength", "false");
                w.WriteString(p.Type);
                w.WriteEndElement();
            }

            w.WriteStartElement("dev", "type", Dev);
            w.WriteElementString("maml", "name", Maml, p.Type);
            w.WriteElementString("maml", "uri", Maml, string.Empty);
            w.WriteEndElement();
            w.WriteElementString("dev", "defaultValue", Dev, p.Get("Default value", "None"));
            w.WriteEndElement();
        }

        private static void TypeList(XmlWriter w, string outer, string inner, List<TypeDoc> types)
        {
            w.WriteStartElement("command", outer, Command);
            foreach (var t in types)
            {
                w.WriteStartElement("command", inner, Command);
                w.WriteStartElement("dev", "type", Dev);
                w.WriteElementString("maml", "name", Maml, t.Name);
                w.WriteEndElement();
                Paras(w, "description", t.Description);
                w.WriteEndElement();
            }

            w.WriteEndElement();
        }

        private static void Link(XmlWriter w, string text, string uri)
        {
            w.WriteStartElement("maml", "navigationLink", Maml);
            w.WriteElementString("maml", "linkText", Maml, text);
            w.WriteElementString("maml", "uri", Maml, uri);
            w.WriteEndElement();
        }

        private static void Paras(XmlWriter w, string element, IEnumerable<string> paras)
        {
            w.WriteStartElement("maml", element, Maml);
            foreach (var p in paras)
            {
                w.WriteElementString("maml", "para", Maml, p);
            }

            w.WriteEndElement();
        }
    }

    /// <summary>Turns an about_*.md (platyPS about layout) into the plain-text about_*.help.txt Get-Help shows.</summary>
    public static class AboutWriter
    {
        private const int Width = 80;

        public static string Convert(string markdownText)
        {
            var text = Markdown.StripFrontMatter(markdownText.Replace("\r\n", "\n"), new Dictionary<string, string>());
            var md = Markdig.Markdown.Parse(text, new MarkdownPipelineBuilder().UsePipeTables().Build());
            var sb = new StringBuilder();
            foreach (var block in md)
            {
                switch (block)
                {
                    case HeadingBlock h when h.Level == 1:
                        sb.Append("TOPIC\n    ").Append(Markdown.InlineText(h.Inline).Trim()).Append("\n\n");
                        break;
                    case HeadingBlock h when h.Level == 2:
                        sb.Append(Markdown.InlineText(h.Inline).Trim().ToUpperInvariant()).Append('\n');
                        break;
                    case HeadingBlock h:
                        sb.Append("  ").Append(Markdown.InlineText(h.Inline).Trim().ToUpperInvariant()).Append('\n');
                        break;
                    case FencedCodeBlock code:
                        foreach (var line in Markdown.CodeText(code).Split('\n'))
                        {
                            sb.Append("        ").Append(line).Append('\n');
                        }

                        sb.Append('\n');
                        break;
                    case Markdig.Extensions.Tables.Table table:
                        foreach (var row in table.OfType<Markdig.Extensions.Tables.TableRow>())
                        {
                            var cells = row.OfType<Markdig.Extensions.Tables.TableCell>().Select(cell => string.Join(" ", cell.SelectMany(Markdown.Paragraphs))).ToList();
                            Wrap(sb, string.Join(" | ", cells), "    ", "      ");
                        }

                        sb.Append('\n');
                        break;
                    case ListBlock list:
                        foreach (var para in Markdown.Paragraphs(list))
                        {
                            Wrap(sb, para, "    ", "      ");
                        }

                        sb.Append('\n');
                        break;
                    default:
                        foreach (var para in Markdown.Paragraphs(block))
                        {
                            Wrap(sb, para, "    ", "    ");
                            sb.Append('\n');
                        }

                        break;
                }
            }

            return sb.ToString().TrimEnd() + "\n";
        }

        private static void Wrap(StringBuilder sb, string text, string first, string rest)
        {
            var line = new StringBuilder(first);
            var empty = true;
            foreach (var word in text.Split(new[] { ' ', '\n' }, StringSplitOptions.RemoveEmptyEntries))
            {
                if (!empty && line.Length + 1 + word.Length > Width)
                {
                    sb.Append(line.ToString().TrimEnd()).Append('\n');
                    line.Clear().Append(rest);
                    empty = true;
                }

                if (!empty)
                {
                    line.Append(' ');
                }

                line.Append(word);
                empty = false;
            }

            sb.Append(line.ToString().TrimEnd()).Append('\n');
        }
    }
}
