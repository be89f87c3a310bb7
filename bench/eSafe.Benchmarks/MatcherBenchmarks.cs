using System.Text;
using BenchmarkDotNet.Attributes;
using eSafe.Detection;

namespace eSafe.Benchmarks;

/// <summary>The starter matcher on a keystroke batch and on a page of pupil-like text.</summary>
[MemoryDiagnoser]
public class MatcherBenchmarks
{
    private static readonly string[] Words =
    [
        "i", "think", "the", "homework", "is", "due", "tomorrow", "lol", "can", "you", "send", "me", "answers",
        "maths", "teacher", "said", "we", "have", "a", "test", "on", "friday", "my", "mum", "football", "game",
    ];

    private WordMatcher _matcher = null!;
    private string _keystrokes = null!;
    private string _page = null!;

    [GlobalSetup]
    public void Setup()
    {
        _matcher = new WordMatcher(StarterLibrary.Create());
        _keystrokes = PupilText(2 * 1024, seed: 1);
        _page = PupilText(1024 * 1024, seed: 2);
    }

    [Benchmark]
    public int KeystrokeBatch2KB() => _matcher.Scan(_keystrokes).Count;

    [Benchmark]
    public int Page1MB() => _matcher.Scan(_page).Count;

    private static string PupilText(int length, int seed)
    {
        var random = new Random(seed);
        var text = new StringBuilder(length + 16);
        while (text.Length < length)
        {
            text.Append(Words[random.Next(Words.Length)]).Append(random.Next(12) == 0 ? ". " : " ");
        }

        return text.ToString(0, length);
    }
}
