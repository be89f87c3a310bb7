using System.CommandLine;
using System.Text;
using System.Text.Json;
using eSafe.Detection;

namespace eSafe.Host.Cli;

/// <summary>
/// <c>scan</c>: one UTF-8 document a line on standard input, one JSON object a line on standard output,
/// in order (a stable contract: other tools rely on it; see docs/THREAT-LIBRARY.md).
/// </summary>
public static class ScanCommand
{
    private const int ContextRadius = 60;

    public static Command Create()
    {
        var libraries = new Option<string[]>("--library")
        {
            Description = "A compiled library file or a source folder; repeat to layer them (global first). Default: the built-in library",
            AllowMultipleArgumentsPerToken = false,
        };
        var format = new Option<string>("--format") { Description = "Output format", DefaultValueFactory = _ => "jsonl" };
        format.AcceptOnlyFromAmong("jsonl");
        var command = new Command("scan", "Scan text from standard input, one document a line, and write the hits as JSON lines")
        {
            libraries, format,
        };
        command.SetAction(result =>
        {
            IThreatMatcher matcher;
            try
            {
                matcher = new ThreatMatcher(LibraryFiles.LoadAll(result.GetValue(libraries)));
            }
            catch (Exception e) when (e is IOException or InvalidDataException or FormatException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"esafe-host scan: {e.Message}");
                return 2;
            }

            Run(matcher, Console.OpenStandardInput(), Console.OpenStandardOutput());
            return 0;
        });
        return command;
    }

    public static void Run(IThreatMatcher matcher, Stream input, Stream output)
    {
        ArgumentNullException.ThrowIfNull(matcher);
        using var reader = new StreamReader(input, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16);
        using var buffered = new BufferedStream(output, 1 << 16);
        using var json = new Utf8JsonWriter(buffered);
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            json.WriteStartObject();
            json.WriteNumber("line", number);
            json.WriteStartArray("matches");
            foreach (var match in matcher.Scan(line))
            {
                json.WriteStartObject();
                json.WriteString("id", match.Entry.Id);
                json.WriteString("category", match.Entry.Category);
                json.WriteNumber("severity", match.Entry.Severity);
                json.WriteNumber("start", match.Start);
                json.WriteNumber("length", match.Length);
                json.WriteString("text", match.MatchedText(line));
                json.WriteString("context", match.Context(line, ContextRadius));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.Flush();
            buffered.WriteByte((byte)'\n');
            json.Reset();
        }

        buffered.Flush();
    }
}
