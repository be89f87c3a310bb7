using eSafe.Detection;

namespace eSafe.Benchmarks.Workload;

/// <summary>One generated phrase: its words as the library writes them (with <c>+</c> and <c>*</c> marks).</summary>
internal sealed record GeneratedPhrase(string[] Words)
{
    /// <summary>The phrase as a library entry writes it: <c>kill+ qorvak</c>.</summary>
    public string Written => string.Join(' ', Words);

    /// <summary>The phrase without marks: what the SearchValues baseline looks for.</summary>
    public string Plain => string.Join(' ', Words.Select(w => w.TrimEnd('+', '*')));
}

/// <summary>
/// Deterministic phrase sets of 1 to 4 words. The sets are nested (the 1,000-phrase set is the first
/// 1,000 of the 10,000-phrase set, which is the first 10,000 of the 100,000), so phrases planted from the
/// smallest set hit in every set. First words are often common ones (<c>i</c>, <c>you</c>, <c>kill</c>),
/// which is what makes matching hard; every phrase has at least one "rare" word, so the generated text
/// holds no hit that was not planted.
/// </summary>
internal static class PhraseSets
{
    public const int Largest = 100_000;
    public const int Seed = 20_260_003;
    private static readonly Lazy<GeneratedPhrase[]> Phrases = new(Generate);

    public static IReadOnlyList<GeneratedPhrase> All => Phrases.Value;

    /// <summary>The first <paramref name="count"/> phrases as a threat library (1 % of entries have an exception).</summary>
    public static ThreatLibrary Library(int count)
    {
        var phrases = Phrases.Value;
        var entries = new ThreatEntry[count];
        for (var i = 0; i < count; i++)
        {
            var written = phrases[i].Written;
            IReadOnlyList<string> exceptions = i % 100 == 7 ? [$"the {written}"] : [];
            entries[i] = new ThreatEntry($"b-{i:D6}", written, ThreatCategories.All[i % ThreatCategories.All.Count],
                1 + (i % ThreatEntry.MaxSeverity), "en-GB", exceptions);
        }

        return new ThreatLibrary("bench", $"{count}", entries);
    }

    /// <summary>The first <paramref name="count"/> phrases without marks, distinct: the baseline's strings.</summary>
    public static string[] Plain(int count) => [.. Phrases.Value.Take(count).Select(p => p.Plain).Distinct(StringComparer.Ordinal)];

    private static GeneratedPhrase[] Generate()
    {
        var random = new Random(Seed);
        var rare = Vocabulary.RareWords(40_000, Seed + 1);
        var rareZipf = new Zipf(rare.Length, 0.5);
        var starterZipf = new Zipf(Vocabulary.PhraseStarters.Length, 1.0);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<GeneratedPhrase>(Largest);
        while (result.Count < Largest)
        {
            var roll = random.NextDouble();
            var count = roll < 0.20 ? 1 : roll < 0.60 ? 2 : roll < 0.88 ? 3 : 4;
            var words = new string[count];
            var isRare = new bool[count];
            for (var w = 0; w < count; w++)
            {
                var pick = random.NextDouble();
                if (count == 1 || (w == 0 ? pick >= 0.65 : pick >= 0.45))
                {
                    words[w] = rare[rareZipf.Next(random)];
                    isRare[w] = true;
                }
                else
                {
                    words[w] = w == 0 && pick < 0.5
                        ? Vocabulary.PhraseStarters[starterZipf.Next(random)]
                        : Vocabulary.ThreatWords[random.Next(Vocabulary.ThreatWords.Length)];
                }
            }

            if (!isRare.Contains(true))
            {
                words[^1] = rare[rareZipf.Next(random)];
                isRare[^1] = true;
            }

            // Marks: 10 % inflect a word (kill+), 8 % end with a prefix (qorva*), both only on rare words
            // or threat words of three letters or more, as a real library would.
            var marked = random.Next(count);
            var mark = random.NextDouble();
            if (mark < 0.10 && words[marked].Length >= 3)
            {
                words[marked] += "+";
            }
            else if (mark < 0.18 && isRare[^1])
            {
                words[^1] += "*";
            }

            var phrase = new GeneratedPhrase(words);
            if (seen.Add(phrase.Plain))
            {
                result.Add(phrase);
            }
        }

        return [.. result];
    }
}
