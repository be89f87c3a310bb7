using System.Text;
using eSafe.Detection.Compilation;

namespace eSafe.Benchmarks.Workload;

/// <summary>
/// The generated pupil-like text: 5,000 documents of about 2 KB each (about 1,030 UTF-16 characters,
/// ended at a sentence), 10.3 MB in all, the same on every run (fixed seeds). Every 50th document has
/// a phrase of the 1,000-phrase set planted in it, a quarter of them disguised (leet, look-alike letters,
/// zero-width characters, letters split up or stretched).
/// </summary>
internal sealed class Corpus
{
    public const int Seed = 20_260_002;
    public const int DocumentCount = 5_000;
    public const int DocumentChars = 1_000;
    public const int PlantEvery = 50;

    /// <summary>A keystroke batch: 2 KB, that is 1,024 UTF-16 characters.</summary>
    public const int BatchChars = 1_024;

    private static readonly Lazy<Corpus> SharedCorpus = new(() => new Corpus());

    private Corpus()
    {
        var generator = new TextGenerator(Seed);
        Documents = new string[DocumentCount];
        var planted = new List<string>();
        for (var d = 0; d < DocumentCount; d++)
        {
            string? plant = null;
            if (d % PlantEvery == PlantEvery / 2)
            {
                plant = generator.Disguise(PhraseSets.All[planted.Count * 9 % 1_000], planted.Count);
                planted.Add(plant);
            }

            Documents[d] = generator.Document(DocumentChars, plant);
            Chars += Documents[d].Length;
        }

        Planted = [.. planted];
    }

    public static Corpus Shared => SharedCorpus.Value;

    public string[] Documents { get; }

    /// <summary>The phrases planted, as written into the text.</summary>
    public IReadOnlyList<string> Planted { get; }

    public long Chars { get; }

    /// <summary>UTF-16: two bytes a character.</summary>
    public long Bytes => Chars * sizeof(char);

    /// <summary>A 2 KB keystroke batch with no hit, or with one planted phrase.</summary>
    public static string KeystrokeBatch(bool withHit)
    {
        var generator = new TextGenerator(Seed + 100);
        var plant = withHit ? generator.Disguise(PhraseSets.All[3], 0) : null;
        var text = generator.Document(BatchChars, plant);
        var length = char.IsHighSurrogate(text[BatchChars - 1]) ? BatchChars - 1 : BatchChars;
        return text[..length];
    }
}

/// <summary>Chatty school and chat sentences: Zipf-distributed words, mixed case, punctuation, emoji, a few disguised words.</summary>
internal sealed class TextGenerator
{
    private static readonly string[] Endings = [". ", ". ", ". ", "! ", "? ", "!! ", "... ", " ", " ", "?! ", " lol ", " :) ", " xx "];
    private static readonly string[] Emoji = ["😂", "😭", "🔥", "👍", "💀", "🙄", "😡", "❤️", "👍🏽", "🥺", "😊", "🤣", "🤷‍♀️"];
    private static readonly string[] Accented = ["café", "naïve", "piñata", "über", "zoë", "résumé", "façade", "jalapeño"];
    private static readonly string[] Leet = ["o0", "e3", "a4", "i1", "s5", "a@", "s$"];
    private static readonly string[] PrefixEndings = ["", "s", "ish", "ly"];

    private readonly Random _random;
    private readonly string[] _pseudo;
    private readonly Zipf _commonZipf = new(Vocabulary.Common.Length, 1.0);
    private readonly Zipf _pseudoZipf;

    public TextGenerator(int seed)
    {
        _random = new Random(seed);
        _pseudo = Vocabulary.PseudoWords(2_700, seed + 1);
        _pseudoZipf = new Zipf(_pseudo.Length, 0.9);
    }

    /// <summary>Sentences until at least <paramref name="chars"/> characters, with <paramref name="plant"/> among them.</summary>
    public string Document(int chars, string? plant)
    {
        var text = new StringBuilder(chars + 200);
        var plantAfter = plant is null ? -1 : _random.Next(1, 12);
        var sentences = 0;
        while (text.Length < chars || plantAfter >= sentences)
        {
            if (sentences == plantAfter)
            {
                text.Append("omg ").Append(plant).Append(". ");
            }

            Sentence(text);
            sentences++;
        }

        return text.ToString();
    }

    /// <summary>
    /// The phrase as a pupil might type it: marks resolved to a real form (kill+ → killing), and one case
    /// in four disguised.
    /// </summary>
    public string Disguise(GeneratedPhrase phrase, int index)
    {
        var words = phrase.Words.Select(w =>
            w.EndsWith('+') ? OneOf([.. Inflections.Of(w[..^1])])
            : w.EndsWith('*') ? w[..^1] + PrefixEndings[_random.Next(PrefixEndings.Length)]
            : w).ToArray();
        var rare = Array.FindLastIndex(words, w => w.Length >= 5);
        rare = rare < 0 ? words.Length - 1 : rare;
        switch (index % 8)
        {
            case 4:
                words = [.. words.Select(w => w.ToUpperInvariant())];
                break;
            case 5:
                words[rare] = Leetify(words[rare], all: true);
                break;
            case 6:
                // A zero-width space inside the word and a Cyrillic о for the Latin o.
                words[rare] = words[rare].Insert(2, "\u200B").Replace('o', '\u043E');
                break;
            case 7:
                // Stretched and split up: zvoooork, or z v o r k for a short word.
                words[rare] = words.Length > 1 && words[0].Length <= 4
                    ? Stretch(words[rare])
                    : string.Join(' ', words[rare].ToCharArray());
                break;
            default:
                break;
        }

        return string.Join(' ', words);
    }

    private string OneOf(string[] forms) => forms[_random.Next(forms.Length)];

    private void Sentence(StringBuilder text)
    {
        var count = 3 + _random.Next(14);
        var casing = _random.NextDouble();
        for (var w = 0; w < count; w++)
        {
            var word = NextWord();
            if (casing < 0.20 && w == 0)
            {
                word = char.ToUpperInvariant(word[0]) + word[1..];
            }
            else if (casing is >= 0.20 and < 0.25)
            {
                word = _random.Next(4) == 0 ? word.ToUpperInvariant() : word;
            }
            else if (casing is >= 0.25 and < 0.28)
            {
                word = string.Concat(word.Select((c, i) => i % 2 == 0 ? char.ToUpperInvariant(c) : c));
            }

            text.Append(word);
            if (w < count - 1)
            {
                text.Append(_random.Next(12) == 0 ? ", " : " ");
            }
        }

        var ending = Endings[_random.Next(Endings.Length)];
        if (_random.Next(10) == 0)
        {
            text.Append(ending.TrimEnd()).Append(' ').Append(Emoji[_random.Next(Emoji.Length)]).Append(' ');
        }
        else
        {
            text.Append(ending);
        }

        if (_random.Next(20) == 0)
        {
            text.Append('\n');
        }
    }

    private string NextWord()
    {
        var roll = _random.NextDouble();
        var word = roll < 0.003 ? Accented[_random.Next(Accented.Length)]
            : roll < 0.72 ? Vocabulary.Common[_commonZipf.Next(_random)]
            : _pseudo[_pseudoZipf.Next(_random)];
        if (_random.Next(100) != 0)
        {
            return word;
        }

        // About one word in a hundred disguised, as pupils do for fun.
        return _random.Next(4) switch
        {
            0 => Leetify(word, all: false),
            1 => Stretch(word),
            2 when word.Length <= 5 => string.Join(_random.Next(2) == 0 ? " " : ".", word.ToCharArray()),
            _ => word.Length > 2 ? word.Insert(1, "\u200B") : word,
        };
    }

    private string Leetify(string word, bool all)
    {
        var chars = word.ToCharArray();
        foreach (var pair in Leet)
        {
            var at = Array.IndexOf(chars, pair[0]);
            if (at >= 0 && (all || _random.Next(2) == 0))
            {
                chars[at] = pair[1];
            }
        }

        return new string(chars);
    }

    private string Stretch(string word)
    {
        var at = word.IndexOfAny(['a', 'e', 'i', 'o', 'u', 'y']);
        return at < 0 ? word : word.Insert(at, new string(word[at], 2 + _random.Next(4)));
    }
}
