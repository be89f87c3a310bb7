using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace eSafe.Quality;

/// <summary>
/// The large benign text: Debian packages of openly licensed English documentation
/// (<see cref="CorpusSource.All"/>), downloaded with <c>apt-get download</c> and unpacked with <c>dpkg-deb</c> into
/// the ignored cache folder once, then assembled into one UTF-8 text file of paragraphs.
/// </summary>
internal static partial class BenignCorpus
{
    public const string FileName = "benign-corpus.txt";

    /// <summary>The assembled text file, fetching it first if it is missing; null (with why) if it cannot be had.</summary>
    public static string? Ensure(string root, TextWriter log)
    {
        var cache = RepositoryRoot.CacheFolder(root);
        var file = Path.Combine(cache, FileName);
        if (File.Exists(file))
        {
            return file;
        }

        var debs = Directory.CreateDirectory(Path.Combine(cache, "debs")).FullName;
        var unpacked = Directory.CreateDirectory(Path.Combine(cache, "unpacked")).FullName;
        log.WriteLine($"Fetching the benign text into {cache}: apt-get download {string.Join(' ', CorpusSource.All.Select(s => s.Package))}");
        if (!Run("apt-get", debs, ["download", .. CorpusSource.All.Select(s => s.Package)], log))
        {
            log.WriteLine("Could not download the packages (apt-get download): no benign text, no false-hit figure.");
            return null;
        }

        foreach (var deb in Directory.EnumerateFiles(debs, "*.deb"))
        {
            if (!Run("dpkg-deb", debs, ["-x", deb, unpacked], log))
            {
                return null;
            }
        }

        var temporary = file + ".tmp";
        using (var writer = new StreamWriter(temporary, false, new UTF8Encoding(false)))
        {
            foreach (var source in CorpusSource.All)
            {
                var folder = Path.Combine(unpacked, source.Folder);
                var files = Directory.Exists(folder)
                    ? Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                        .Where(f => source.Extensions.Any(e => f.EndsWith(e, StringComparison.Ordinal))).Order(StringComparer.Ordinal).ToList()
                    : [];
                log.WriteLine($"  {source.Package} ({source.Licence}): {files.Count} files");
                foreach (var path in files)
                {
                    writer.Write(PlainText(path));
                    writer.Write("\n\n");
                }
            }
        }

        File.Move(temporary, file, overwrite: true);
        return file;
    }

    // HTML loses its tags, scripts and styles and keeps its words; gzip and dictzip (.dz is gzip) are unpacked.
    private static string PlainText(string path)
    {
        string text;
        if (path.EndsWith(".gz", StringComparison.Ordinal) || path.EndsWith(".dz", StringComparison.Ordinal))
        {
            using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
            using var reader = new StreamReader(gzip, Encoding.UTF8);
            text = reader.ReadToEnd();
        }
        else
        {
            text = File.ReadAllText(path, Encoding.UTF8);
        }

        if (!path.EndsWith(".html", StringComparison.Ordinal))
        {
            return text;
        }

        text = ScriptOrStyle().Replace(text, " ");
        text = BlockEnd().Replace(text, "\n\n");
        text = Tag().Replace(text, " ");
        return WebUtility.HtmlDecode(text);
    }

    private static bool Run(string program, string workingDirectory, string[] arguments, TextWriter log)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = workingDirectory, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                log.WriteLine($"{program} failed ({process.ExitCode}): {error.Trim()} {output.Result.Trim()}");
            }

            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            log.WriteLine($"{program} is not available: {e.Message}");
            return false;
        }
    }

    [GeneratedRegex("<(script|style)[^>]*>.*?</\\1>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex ScriptOrStyle();

    [GeneratedRegex("</(p|div|h[1-6]|li|pre|tr|dt|dd|title)>|<br\\s*/?>", RegexOptions.IgnoreCase)]
    private static partial Regex BlockEnd();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tag();
}
