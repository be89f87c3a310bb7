using System.Globalization;
using System.Text;
using eSafe.Detection.Normalisation;
using eSafe.Detection.Tests.Support;

namespace eSafe.Detection.Tests;

/// <summary>
/// Random texts and phrase sets (seeded: set ESAFE_TEST_SEED to replay a failure) scanned by the matcher and
/// by brute-force reference matchers, which must agree hit for hit.
/// </summary>
public sealed class ReferenceMatcherTests
{
    private const int Cases = 300;

    private static readonly int BaseSeed =
        int.TryParse(Environment.GetEnvironmentVariable("ESAFE_TEST_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed) ? seed : 20261128;

    // No 'l' in phrases: a written l also matches i (its variants would need a reference of their own).
    private static readonly string[] Vocabulary =
    [
        "a", "b", "e", "o", "ab", "ba", "be", "bee", "abba", "abc", "cab", "bad", "dab", "bed", "bead", "dead", "deed", "ace",
        "aced", "sea", "seas", "set", "sets", "toast", "test", "tat", "boo", "boot", "obese", "sob", "dos", "gag", "igo", "digit",
    ];

    private static readonly Dictionary<char, string[]> Looks = new()
    {
        ['a'] = ["4", "@", "á", "а", "α", "ａ", "ⓐ"],
        ['b'] = ["8", "в", "β", "ḃ"],
        ['c'] = ["ç", "с", "ϲ"],
        ['d'] = ["ď", "ԁ"],
        ['e'] = ["3", "€", "é", "е", "ε", "ë"],
        ['g'] = ["9", "ğ"],
        ['i'] = ["1", "!", "í", "і", "ι"],
        ['o'] = ["0", "ö", "о", "ο", "𝐨"],
        ['s'] = ["5", "$", "š", "ѕ"],
        ['t'] = ["7", "+", "ť", "т", "τ"],
    };

    private static readonly string[] Separators = [" ", " ", " ", "  ", ". ", ", ", "-", "\n", " 😀 ", "'", "!", "?", " \u200B"];

    [Test]
    public void The_matcher_agrees_with_a_brute_force_matcher_over_skeletons()
    {
        var hits = 0;
        for (var i = 0; i < Cases; i++)
        {
            var caseSeed = BaseSeed + i;
            var random = new Random(caseSeed);
            var (text, words) = RandomText(random);
            var entries = RandomEntries(random, words);
            var matcher = TestLibraries.Matcher(entries);

            var actual = matcher.Scan(text);
            var expected = SkeletonReference(entries, text);

            actual.Select(TestLibraries.Key).Order().Should().Equal(expected,
                "seed {0} (ESAFE_TEST_SEED={1}, case {2}): text '{3}', phrases {4}", caseSeed, BaseSeed, i, TestLibraries.Visible(text), Describe(entries));
            actual.Should().BeInAscendingOrder(m => m.Start).And.ThenBeInDescendingOrder(m => m.Length, "hits are ordered by start, the longer first (seed {0})", caseSeed);
            hits += actual.Count;
        }

        hits.Should().BeGreaterThan(Cases, "the generated texts must hit often enough to test something");
    }

    [Test]
    public void The_matcher_agrees_with_whole_word_search_on_plain_text()
    {
        var hits = 0;
        for (var i = 0; i < Cases; i++)
        {
            var caseSeed = BaseSeed + i;
            var random = new Random(caseSeed);

            // Lower-case words, no doubled letters, no l (nor i), each ending in 'z' and no other 'z': a match of
            // skeletons can then only be a match of whole words.
            var vocabulary = Enumerable.Range(0, random.Next(3, 12)).Select(_ => PlainWord(random)).Distinct().ToArray();
            var words = Enumerable.Range(0, random.Next(0, 30)).Select(_ => vocabulary[random.Next(vocabulary.Length)]).ToArray();
            var text = string.Join(' ', words);
            var entries = Enumerable.Range(0, random.Next(1, 6)).Select(e =>
            {
                var length = random.Next(1, 4);
                var phrase = words.Length >= length && random.Next(2) == 0
                    ? string.Join(' ', words.Skip(random.Next(words.Length - length + 1)).Take(length))
                    : string.Join(' ', Enumerable.Range(0, length).Select(_ => vocabulary[random.Next(vocabulary.Length)]));
                return new ThreatEntry($"e{e}", phrase, ThreatCategories.Bullying, 1 + e % 5);
            }).ToArray();
            var matcher = TestLibraries.Matcher(entries);

            var actual = matcher.Scan(text).Select(TestLibraries.Key).Order().ToArray();
            var expected = entries.SelectMany(e => WholeWordOccurrences(text, e.Phrase).Select(at => (e.Id, at, e.Phrase.Length))).Order().ToArray();

            actual.Should().Equal(expected, "seed {0} (ESAFE_TEST_SEED={1}, case {2}): text '{3}', phrases {4}", caseSeed, BaseSeed, i, text, Describe(entries));
            hits += actual.Length;
        }

        hits.Should().BeGreaterThan(Cases, "the generated texts must hit often enough to test something");
    }

    [Test]
    public void The_matcher_agrees_with_a_brute_force_matcher_on_rules()
    {
        var hits = 0;
        var chains = 0;
        for (var i = 0; i < Cases; i++)
        {
            var caseSeed = BaseSeed + i;
            var random = new Random(caseSeed);
            var (text, words) = RandomText(random);
            var entries = RandomRules(random, words);
            var matcher = TestLibraries.Matcher(entries);

            var actual = matcher.Scan(text);
            var expected = RuleReference(entries, text);

            actual.Select(TestLibraries.Key).Order().Should().Equal(expected,
                "seed {0} (ESAFE_TEST_SEED={1}, case {2}): text '{3}', rules {4}", caseSeed, BaseSeed, i, TestLibraries.Visible(text), Describe(entries));
            hits += actual.Count;
            chains += actual.Count(m => m.Entry.Phrase.Contains('~', StringComparison.Ordinal));
        }

        hits.Should().BeGreaterThan(Cases / 2, "the generated texts must hit often enough to test something");
        chains.Should().BeGreaterThan(Cases / 4, "rules of several parts must hit often enough to test something");
    }

    /// <summary>
    /// The reference for rules: every occurrence of each part (each plain phrase its sets stand for, found as
    /// <see cref="Find"/> finds phrases); words counted from the skeleton's word starts, a part after an
    /// apostrophe not being a word. For each occurrence of the first part, in text order, the first choice of
    /// the other parts' occurrences (in text order, the earlier parts chosen first) whose links hold and whose
    /// span its exceptions and context allow is a hit.
    /// </summary>
    private static List<(string Id, int Start, int Length)> RuleReference(IReadOnlyList<ThreatEntry> entries, string text)
    {
        var skeleton = Skeleton.Of(text);
        var wordOf = new int[skeleton.Length];
        for (int k = 0, words = 0; k < skeleton.Length; k++)
        {
            words += skeleton.WordStarts[k] && !skeleton.IsAfterApostrophe(k) ? 1 : 0;
            wordOf[k] = words - 1;
        }

        var found = new HashSet<(string Id, int Start, int End)>();
        foreach (var entry in entries)
        {
            var tokens = entry.Phrase.Split(' ');
            var parts = new List<List<(int Start, int End)>>();
            var links = new List<(int Window, bool Either)>();
            var part = new List<string>();
            foreach (var token in tokens.Append("~0"))
            {
                if (!token.StartsWith('~'))
                {
                    part.Add(token);
                    continue;
                }

                parts.Add([.. Plains(part).SelectMany(p => Find(skeleton, p)).Distinct().OrderBy(h => h.Start).ThenBy(h => h.End)]);
                part.Clear();
                links.Add((int.Parse(token.TrimStart('~'), CultureInfo.InvariantCulture), token.StartsWith("~~", StringComparison.Ordinal)));
            }

            var exceptions = entry.Exceptions.SelectMany(e => Find(skeleton, e)).ToList();
            var context = entry.Context.Length == 0 ? [] : entry.Context.Split(';').Select(clause =>
            {
                var (head, phrases) = (clause.Split(':')[0].Trim().Split(' '), OutsideBraces(clause.Split(':')[1].Trim()));
                var starts = phrases.SelectMany(p => Plains(p.Split(' '))).SelectMany(p => Find(skeleton, p)).Select(h => wordOf[h.Start]).ToList();
                return (Required: head[0] == "with", Window: int.Parse(head[1], CultureInfo.InvariantCulture), Starts: starts);
            }).ToList();

            bool Allowed(int start, int end) =>
                !exceptions.Any(e => e.Start <= start && e.End >= end)
                && context.All(c => c.Starts.Any(w => w >= wordOf[start] - c.Window && w <= wordOf[end - 1] + c.Window) == c.Required);

            foreach (var first in parts[0])
            {
                foreach (var chain in Product(parts.Skip(1).ToList()))
                {
                    List<(int Start, int End)> taken = [first, .. chain];
                    var linked = Enumerable.Range(1, taken.Count - 1).All(k =>
                    {
                        var (before, after, link) = (taken[k - 1], taken[k], links[k - 1]);
                        var distance = wordOf[after.Start] - wordOf[before.End - 1];
                        var backwards = wordOf[before.Start] - wordOf[after.End - 1];
                        return (distance >= 1 && distance <= link.Window) || (link.Either && backwards >= 1 && backwards <= link.Window);
                    });
                    var (start, end) = (taken.Min(h => h.Start), taken.Max(h => h.End));
                    if (linked && Allowed(start, end))
                    {
                        found.Add((entry.Id, start, end));
                        break;
                    }
                }
            }
        }

        return [.. found.Select(h => (h.Id, skeleton.OriginalSpan(h.Start, h.End))).Select(h => (h.Id, h.Item2.Start, h.Item2.Length)).Order()];
    }

    // "a|{b|c}|d" as a, {b|c}, d.
    private static string[] OutsideBraces(string phrases) =>
        System.Text.RegularExpressions.Regex.Matches(phrases, @"(\{[^}]*\}|[^|{])+").Select(m => m.Value).ToArray();

    // Every plain phrase the words of a part stand for: each set's words in turn.
    private static IEnumerable<string> Plains(IReadOnlyList<string> words) =>
        words.Aggregate((IEnumerable<string>)[""], (starts, word) => starts.SelectMany(start =>
            (word.StartsWith('{') ? word[1..^1].Split('|') : [word]).Select(w => start.Length == 0 ? w : start + " " + w)));

    // Every choice of one item from each list, the earlier lists' items changing slowest.
    private static IEnumerable<List<(int Start, int End)>> Product(List<List<(int Start, int End)>> lists) =>
        lists.Aggregate((IEnumerable<List<(int Start, int End)>>)[[]], (chains, list) => chains.SelectMany(chain => list.Select(item => (List<(int, int)>)[.. chain, item])));

    // Rules of one to three parts of one or two words (a word or a set, half of them from the text), maybe a
    // prefix, an exception or a context.
    private static ThreatEntry[] RandomRules(Random random, string[] textWords) =>
        [.. Enumerable.Range(0, random.Next(1, 7)).Select(e =>
        {
            string Word() => textWords.Length > 0 && random.Next(4) != 0 ? textWords[random.Next(textWords.Length)] : Vocabulary[random.Next(Vocabulary.Length)];
            string Token()
            {
                var set = Enumerable.Range(0, random.Next(2, 4)).Select(_ => Word()).Distinct().ToArray();
                return set.Length > 1 && random.Next(3) == 0 ? "{" + string.Join('|', set) + "}" : set[0];
            }

            var parts = Enumerable.Range(0, random.Next(4) == 0 ? 1 : random.Next(2, 4)).Select(_ =>
            {
                var words = Enumerable.Range(0, random.Next(4) == 0 ? 2 : 1).Select(_ => Token()).ToArray();
                if (random.Next(8) == 0)
                {
                    words[^1] = words[^1].StartsWith('{') ? words[^1].Replace("|", "*|", StringComparison.Ordinal).Replace("}", "*}", StringComparison.Ordinal) : words[^1] + "*";
                }

                return string.Join(' ', words);
            }).ToArray();
            var phrase = parts[0];
            foreach (var part in parts.Skip(1))
            {
                phrase += $" {(random.Next(3) == 0 ? "~~" : "~")}{random.Next(1, 9)} {part}";
            }

            // Half the rules are words of the text in order, their windows about as wide as the gaps between them.
            if (textWords.Length >= 2 && random.Next(2) == 0)
            {
                var at = random.Next(textWords.Length - 1);
                phrase = textWords[at];
                for (var k = random.Next(1, 3); k > 0; k--)
                {
                    var gap = random.Next(1, 5);
                    if (at + gap >= textWords.Length)
                    {
                        break;
                    }

                    at += gap;
                    phrase += $" {(random.Next(3) == 0 ? "~~" : "~")}{Math.Max(1, gap + random.Next(-1, 2))} {textWords[at]}";
                }
            }

            var exceptions = random.Next(6) == 0 ? new[] { $"{Word()} {Word()} {Word()}" } : [];
            var context = random.Next(3) != 0 ? "" : string.Join("; ", Enumerable.Range(0, random.Next(1, 3)).Select(_ =>
                $"{(random.Next(2) == 0 ? "unless" : "with")} {random.Next(1, 6)}: {string.Join('|', Enumerable.Range(0, random.Next(1, 3)).Select(_ => Token()))}"));
            return new ThreatEntry($"r{e}", phrase, ThreatCategories.All[e % ThreatCategories.All.Count], 1 + e % 5, "en-GB", exceptions, context);
        })];

    /// <summary>
    /// The reference: reduce text and phrase to skeletons, and try every phrase (as written, and with its
    /// words run together) at every word start; it must end at a word start unless its last word is a prefix
    /// (then the hit runs to the end of that word). Letters must be the same, where 1, ! and | may be an i or
    /// an l; each must appear in a row as often as in the phrase,
    /// or three times or more (where two words run together on one letter, once up to both words' count), and
    /// a one-word phrase must not cross an apostrophe nor start after one. A hit inside an exception of its
    /// entry is dropped.
    /// </summary>
    private static List<(string Id, int Start, int Length)> SkeletonReference(IReadOnlyList<ThreatEntry> entries, string text)
    {
        var skeleton = Skeleton.Of(text);
        var raw = new HashSet<(string Id, int Start, int End)>();
        foreach (var entry in entries)
        {
            var exceptions = entry.Exceptions.SelectMany(e => Find(skeleton, e)).ToList();
            foreach (var (start, end) in Find(skeleton, entry.Phrase))
            {
                if (!exceptions.Any(e => e.Start <= start && e.End >= end))
                {
                    raw.Add((entry.Id, start, end));
                }
            }
        }

        return [.. raw.Select(h => (h.Id, skeleton.OriginalSpan(h.Start, h.End))).Select(h => (h.Id, h.Item2.Start, h.Item2.Length)).Order()];
    }

    private static IEnumerable<(int Start, int End)> Find(Skeleton skeleton, string phrase)
    {
        var prefix = phrase.EndsWith('*');
        var words = phrase.TrimEnd('*').Split(' ');
        var letters = string.Concat(Enumerable.Range(0, skeleton.Length).Select(skeleton.LetterAt));
        var runs = Enumerable.Range(0, skeleton.Length).Select(skeleton.RunAt).ToArray();
        var wordStarts = skeleton.WordStarts.ToArray();
        var afterApostrophe = Enumerable.Range(0, skeleton.Length).Select(skeleton.IsAfterApostrophe).ToArray();
        foreach (var pattern in new[] { Letters(words, joined: false), Letters(words, joined: true) }.DistinctBy(p => string.Concat(p)))
        {
            for (var start = 0; start + pattern.Count <= letters.Length; start++)
            {
                var end = start + pattern.Count;
                if (!wordStarts[start] || (!prefix && !wordStarts[end]) || afterApostrophe[start]
                    || Enumerable.Range(start, pattern.Count).Any(at => !Fits(pattern[at - start], letters[at], runs[at], prefix && at == end - 1)
                        || (words.Length == 1 && at > start && afterApostrophe[at])))
                {
                    continue;
                }

                while (!wordStarts[end])
                {
                    end++;
                }

                yield return (start, end);
            }
        }
    }

    private static bool Fits((char Letter, int Min, int Max) phrase, char letter, int run, bool runsOn) =>
        (phrase.Letter == letter || ("il!|".Contains(phrase.Letter) && "il!|".Contains(letter) && ("!|".Contains(phrase.Letter) || "!|".Contains(letter))))
        && ((run >= phrase.Min && (run <= phrase.Max || runsOn)) || run >= 3);

    // The phrase's skeleton letters with how many times each appears in a row; run together, two words meeting
    // on one letter make one that may appear from once to both counts.
    private static List<(char Letter, int Min, int Max)> Letters(string[] words, bool joined)
    {
        var skeleton = Skeleton.Of(string.Join(' ', words));
        var letters = new List<(char Letter, int Min, int Max)>();
        for (var i = 0; i < skeleton.Length; i++)
        {
            var (symbol, run) = (skeleton.LetterAt(i), skeleton.RunAt(i));
            if (joined && skeleton.WordStarts[i] && letters.Count > 0 && letters[^1].Letter == symbol)
            {
                letters[^1] = (symbol, 1, letters[^1].Max + run);
            }
            else
            {
                letters.Add((symbol, run, run));
            }
        }

        return letters;
    }

    private static IEnumerable<int> WholeWordOccurrences(string text, string phrase)
    {
        for (var at = text.IndexOf(phrase, StringComparison.Ordinal); at >= 0; at = text.IndexOf(phrase, at + 1, StringComparison.Ordinal))
        {
            if ((at == 0 || text[at - 1] == ' ') && (at + phrase.Length == text.Length || text[at + phrase.Length] == ' '))
            {
                yield return at;
            }
        }
    }

    // Half the phrases are words of the text, so that there are hits to compare.
    private static ThreatEntry[] RandomEntries(Random random, string[] textWords) =>
        [.. Enumerable.Range(0, random.Next(1, 7)).Select(e =>
        {
            var length = random.Next(1, 4);
            var words = textWords.Length >= length && random.Next(2) == 0
                ? textWords.Skip(random.Next(textWords.Length - length + 1)).Take(length).ToArray()
                : Enumerable.Range(0, length).Select(_ => Vocabulary[random.Next(Vocabulary.Length)]).ToArray();
            var phrase = string.Join(' ', words) + (random.Next(6) == 0 ? "*" : "");
            var plain = string.Join(' ', words);
            string[] exceptions = random.Next(5) == 0
                ? [random.Next(2) == 0 ? $"{Vocabulary[random.Next(Vocabulary.Length)]} {plain}" : $"{plain} {Vocabulary[random.Next(Vocabulary.Length)]}"]
                : [];
            return new ThreatEntry($"e{e}", phrase, ThreatCategories.All[e % ThreatCategories.All.Count], 1 + e % 5, "en-GB", exceptions);
        })];

    private static (string Text, string[] Words) RandomText(Random random)
    {
        var text = new StringBuilder();
        var words = new string[random.Next(0, 25)];
        for (var w = 0; w < words.Length; w++)
        {
            if (w > 0 && random.Next(10) != 0)
            {
                text.Append(Separators[random.Next(Separators.Length)]);
            }

            var word = words[w] = Vocabulary[random.Next(Vocabulary.Length)];
            var split = random.Next(10) == 0;
            for (var k = 0; k < word.Length; k++)
            {
                if (k > 0 && split)
                {
                    text.Append(random.Next(2) == 0 ? " " : ".");
                }
                else if (k > 0 && random.Next(20) == 0)
                {
                    text.Append('\u200D');
                }

                text.Append(Letter(random, word[k]));
            }
        }

        return (text.ToString(), words);
    }

    private static string Letter(Random random, char c)
    {
        var written = random.Next(8) == 0 && Looks.TryGetValue(c, out var looks) ? looks[random.Next(looks.Length)]
            : random.Next(4) == 0 ? char.ToUpperInvariant(c).ToString()
            : c.ToString();
        return random.Next(10) == 0 ? string.Concat(Enumerable.Repeat(written, random.Next(2, 4))) : written;
    }

    private static string PlainWord(Random random)
    {
        const string Letters = "abcdefghjkmnopqrstuvwxy";
        var word = new StringBuilder();
        for (var length = random.Next(1, 4); word.Length < length;)
        {
            var c = Letters[random.Next(Letters.Length)];
            if (word.Length == 0 || word[^1] != c)
            {
                word.Append(c);
            }
        }

        return word.Append('z').ToString();
    }

    private static string Describe(IEnumerable<ThreatEntry> entries) =>
        string.Join(", ", entries.Select(e => $"{e.Id}='{e.Phrase}'" + (e.Exceptions.Count > 0 ? $" except '{string.Join("; ", e.Exceptions)}'" : "")
            + (e.Context.Length > 0 ? $" context '{e.Context}'" : "")));
}
