namespace eSafe.Host.Tests.Fuzzing;

/// <summary>
/// How long the fuzzers run. The ordinary tests replay the saved corpus and run a short seeded round;
/// <c>ESAFE_FUZZ_ITERATIONS</c> asks for a longer one, <c>ESAFE_FUZZ_SEED</c> for another seed, and
/// <c>ESAFE_FUZZ_SAVE</c> (a folder) keeps each input that produced an outcome not seen before, to add to
/// Corpus/ (see tests/README.md).
/// </summary>
internal static class FuzzSettings
{
    public static int Iterations(int ordinary) =>
        int.TryParse(Environment.GetEnvironmentVariable("ESAFE_FUZZ_ITERATIONS"), out var n) && n > 0 ? n : ordinary;

    public static int Seed => int.TryParse(Environment.GetEnvironmentVariable("ESAFE_FUZZ_SEED"), out var seed) ? seed : 20_251_202;

    public static string? SaveDirectory => Environment.GetEnvironmentVariable("ESAFE_FUZZ_SAVE") is { Length: > 0 } d ? d : null;

    /// <summary>The saved inputs of one fuzzer, from Corpus/&lt;name&gt; next to the test assembly.</summary>
    public static IEnumerable<string> Corpus(string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "Corpus", name);
        return Directory.Exists(folder) ? Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal) : [];
    }

    /// <summary>Keeps an input whose outcome was new, when a save folder is set.</summary>
    public static void Keep(string fuzzer, string outcome, byte[] input, HashSet<string> seen, string extension)
    {
        if (SaveDirectory is not { } save || !seen.Add(outcome))
        {
            return;
        }

        var folder = Path.Combine(save, fuzzer);
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, $"{seen.Count:D3}.{extension}"), input);
    }
}
