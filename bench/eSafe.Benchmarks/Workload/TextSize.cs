namespace eSafe.Benchmarks.Workload;

/// <summary>The text one benchmark operation scans, for the MB/s column.</summary>
public enum TextSize
{
    /// <summary>All 5,000 documents of the generated text (about 10.3 MB).</summary>
    Corpus,

    /// <summary>One 2 KB keystroke batch (1,024 UTF-16 characters).</summary>
    Batch,

    /// <summary>One 64 K-character text event, the largest the host accepts (128 KB).</summary>
    LargestEvent,
}

/// <summary>Marks a benchmark with the text it scans once an operation.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ScansAttribute(TextSize size) : Attribute
{
    public TextSize Size { get; } = size;

    /// <summary>UTF-16 bytes (two a character).</summary>
    public static long Bytes(TextSize size) => size switch
    {
        TextSize.Corpus => Corpus.Shared.Bytes,
        TextSize.Batch => Corpus.BatchChars * sizeof(char),
        _ => LargestEvent.Length * sizeof(char),
    };

    /// <summary>A hit-free text event of the largest size the host accepts.</summary>
    public static string LargestEvent { get; } = string.Concat(Corpus.Shared.Documents.Where((d, i) => i % Corpus.PlantEvery != Corpus.PlantEvery / 2))[..(64 * 1024)];
}
