using System.Globalization;
using System.Text;

namespace eSafe.Detection.Quality;

/// <summary>
/// The quality set's file format: UTF-8, one sentence a line as <c>label TAB text</c>; blank lines and lines
/// starting with '#' are skipped. The analysts' export writes the same format, so it can feed the set.
/// </summary>
public static class SentenceFile
{
    public const int MaxTextLength = 1000;

    /// <summary>Every sentence of every <c>*.tsv</c> file in a folder and below it, in file-name order.</summary>
    public static IReadOnlyList<LabelledSentence> ReadFolder(string folder) =>
        Directory.EnumerateFiles(folder, "*.tsv", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .SelectMany(file => Read(File.ReadAllText(file, Encoding.UTF8), Path.GetRelativePath(folder, file)))
            .ToList();

    /// <summary>The sentences of one file's text; a bad line throws with the file, the line and what is wrong.</summary>
    public static IReadOnlyList<LabelledSentence> Read(string content, string name)
    {
        ArgumentNullException.ThrowIfNull(content);
        var sentences = new List<LabelledSentence>();
        var lines = content.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            var where = string.Create(CultureInfo.InvariantCulture, $"{name}:{i + 1}");
            if (tab < 0 || line.IndexOf('\t', tab + 1) >= 0)
            {
                throw new FormatException($"{where}: a line is a label, one tab and the text");
            }

            var label = line[..tab];
            var text = line[(tab + 1)..].Trim();
            if (!LabelledSentence.IsKnownLabel(label))
            {
                throw new FormatException($"{where}: '{label}' is not a category nor '{LabelledSentence.Benign}'");
            }

            if (text.Length is 0 or > MaxTextLength)
            {
                throw new FormatException($"{where}: the text must have 1 to {MaxTextLength} characters");
            }

            sentences.Add(new LabelledSentence(label, text));
        }

        return sentences;
    }

    /// <summary>
    /// One line of the format: the text on one line (tabs and line breaks become spaces, runs of spaces one),
    /// cut to <see cref="MaxTextLength"/>.
    /// </summary>
    public static string Line(LabelledSentence sentence)
    {
        ArgumentNullException.ThrowIfNull(sentence);
        var text = string.Join(' ', sentence.Text.Split([' ', '\t', '\r', '\n', '\u2028', '\u2029'], StringSplitOptions.RemoveEmptyEntries));
        if (text.Length > MaxTextLength)
        {
            text = text[..MaxTextLength];
        }

        return $"{sentence.Label}\t{text}";
    }
}
