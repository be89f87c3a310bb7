using System.Text;
using eSafe.Detection.Tests.Support;

namespace eSafe.Detection.Tests;

/// <summary>
/// Every category × every disguise of docs/THREAT-LIBRARY.md (and mixes of them): a generated matrix. Each case
/// hides one entry's phrase in a sentence and expects exactly that entry, with its category and severity,
/// mapped back to exactly the disguised words.
/// </summary>
public sealed class DisguiseMatrixTests
{
    private static readonly ThreatEntry[] Entries =
    [
        new("ill-1", "indecent pics", ThreatCategories.IllegalContent, 5),
        new("bul-1", "nobody likes you", ThreatCategories.Bullying, 3),
        new("gro-1", "our secret", ThreatCategories.Grooming, 4),
        new("dis-1", "go back home", ThreatCategories.Discrimination, 3),
        new("dru-1", "score cocaine", ThreatCategories.Drugs, 3),
        new("ext-1", "join isis", ThreatCategories.Extremism, 5),
        new("gam-1", "online casino", ThreatCategories.Gambling, 2),
        new("por-1", "send nudes", ThreatCategories.Pornography, 3),
        new("sh-1", "cut myself", ThreatCategories.SelfHarm, 5),
        new("sui-1", "kill myself", ThreatCategories.Suicide, 5),
        new("vio-1", "stab him", ThreatCategories.Violence, 4),
    ];

    private static readonly ThreatMatcher Matcher = TestLibraries.Matcher(Entries);

    private static readonly Dictionary<char, string> Accented = new()
    {
        ['a'] = "á", ['b'] = "ḃ", ['c'] = "ç", ['d'] = "ď", ['e'] = "é", ['f'] = "ḟ", ['g'] = "ğ", ['h'] = "ĥ", ['i'] = "í",
        ['j'] = "ĵ", ['k'] = "ķ", ['l'] = "ľ", ['m'] = "ṁ", ['n'] = "ñ", ['o'] = "ö", ['p'] = "ṕ", ['r'] = "ř", ['s'] = "š",
        ['t'] = "ť", ['u'] = "ü", ['v'] = "ṽ", ['w'] = "ŵ", ['x'] = "ẋ", ['y'] = "ÿ", ['z'] = "ž",
    };

    private static readonly Dictionary<char, string> Cyrillic = new()
    {
        ['a'] = "а", ['c'] = "с", ['d'] = "ԁ", ['e'] = "е", ['h'] = "һ", ['i'] = "і", ['j'] = "ј", ['k'] = "к", ['o'] = "о",
        ['p'] = "р", ['q'] = "ԛ", ['s'] = "ѕ", ['x'] = "х", ['y'] = "у",
    };

    private static readonly Dictionary<char, string> Greek = new()
    {
        ['a'] = "α", ['b'] = "β", ['c'] = "ϲ", ['e'] = "ε", ['i'] = "ι", ['k'] = "κ", ['m'] = "μ", ['n'] = "η", ['o'] = "ο",
        ['p'] = "ρ", ['t'] = "τ", ['u'] = "υ", ['v'] = "ν", ['w'] = "ω", ['x'] = "χ", ['z'] = "ζ",
    };

    // a to z; x (no small capital) and q (no superscript) as themselves.
    private const string SmallCapitals = "ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘꞯʀꜱᴛᴜᴠᴡxʏᴢ";
    private const string Superscripts = "ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖqʳˢᵗᵘᵛʷˣʸᶻ";

    private static readonly Dictionary<char, string> LeetDigits = new()
    {
        ['a'] = "4", ['b'] = "8", ['e'] = "3", ['g'] = "9", ['i'] = "1", ['o'] = "0", ['s'] = "5", ['t'] = "7",
        ['A'] = "4", ['B'] = "8", ['E'] = "3", ['G'] = "9", ['I'] = "1", ['O'] = "0", ['S'] = "5", ['T'] = "7",
    };

    /// <summary>A disguise: how a phrase is written, and what comes before and after it in the text (outside its span).</summary>
    private delegate (string Before, string Span, string After) Disguise(string phrase);

    private static readonly (string Name, Disguise Apply)[] Disguises =
    [
        ("case", p => Plain(Letters(p, (c, j) => j % 2 == 0 ? char.ToUpperInvariant(c).ToString() : c.ToString()))),
        ("accents", p => Plain(Letters(p, (c, _) => Map(Accented, c)))),
        ("combining marks", p => Plain(Letters(p, (c, j) => c + "\u0301\u0308\u0300"[..(1 + j % 3)]))),
        ("zero-width", p => Plain(Between(p, j => "\u200B\u200C\u200D\u2060\uFEFF\u00AD"[j % 6].ToString()))),
        ("bidi", p => ("\u202E", Between(p, j => "\u200E\u200F\u202A\u202B\u202C\u202D\u2066\u2069"[j % 8].ToString()), "\u202C")),
        ("Cyrillic", p => Plain(Letters(p, (c, _) => Map(Cyrillic, c)))),
        ("Greek", p => Plain(Letters(p, (c, _) => Map(Greek, c)))),
        ("full-width", p => Plain(Letters(p, (c, _) => ((char)(c + 0xFEE0)).ToString()))),
        ("mathematical bold", p => Plain(Letters(p, (c, _) => char.ConvertFromUtf32(0x1D41A + c - 'a')))),
        ("circled", p => Plain(Letters(p, (c, _) => ((char)(0x24D0 + c - 'a')).ToString()))),
        ("small capitals", p => Plain(Letters(p, (c, _) => SmallCapitals[c - 'a'].ToString()))),
        ("superscript", p => Plain(Letters(p, (c, _) => Superscripts[c - 'a'].ToString()))),
        ("leet", p => Plain(Leet(p))),
        ("split with spaces", p => Plain(string.Join("   ", p.Split(' ').Select(w => string.Join(' ', w.ToCharArray()))))),
        ("split with dots", p => Plain(string.Join(' ', p.Split(' ').Select(w => string.Join('.', w.ToCharArray()))))),
        ("split with hyphens", p => Plain(string.Join('-', p.Replace(" ", "", StringComparison.Ordinal).ToCharArray()))),
        ("stretched", p => Plain(Stretched(p))),
        ("no spaces", p => Plain(p.Replace(" ", "", StringComparison.Ordinal))),
        ("mix: case, Cyrillic, leet, Greek, stretched, zero-width, no spaces, bidi", p => ("\u202E", Mix(p), "\u202C")),
        ("mix: split, leet digits, case", p => Plain(string.Join("  ", p.Split(' ').Select(w =>
            string.Join('-', w.Select(c => Map(LeetDigits, char.ToUpperInvariant(c)))))))),
        ("mix: mathematical bold, stretched, zero-width", p => Plain(Between(Stretched(p), _ => "\u200D", c => char.ConvertFromUtf32(0x1D41A + c - 'a')))),
        ("mix: combining marks, full-width, split with dots", p => Plain(string.Join(' ', p.Split(' ').Select(w =>
            string.Join('.', w.Select((c, j) => j % 2 == 0 ? $"{c}\u0301" : ((char)(c + 0xFEE0)).ToString())))))),
        ("mix: accents, no spaces, leet, case", p => Plain(Letters(p.Replace(" ", "", StringComparison.Ordinal), (c, j) =>
            j % 3 == 0 ? Map(LeetDigits, c) : j % 3 == 1 ? Map(Accented, c).ToUpperInvariant() : c.ToString()))),
    ];

    private static IEnumerable<TestCaseData> Cases() =>
        from entry in Entries
        from disguise in Disguises
        select new TestCaseData(entry.Id, disguise.Name).SetArgDisplayNames(entry.Category, disguise.Name);

    [TestCaseSource(nameof(Cases))]
    public void A_disguised_phrase_hits_its_entry_on_exactly_the_disguised_words(string entryId, string disguiseName)
    {
        var entry = Entries.Single(e => e.Id == entryId);
        var (before, span, after) = Disguises.Single(d => d.Name == disguiseName).Apply(entry.Phrase);
        span.Should().NotBe(entry.Phrase, "the disguise must change something");
        var text = $"so {before}{span}{after} ok";

        var matches = Matcher.Scan(text);

        matches.Should().ContainSingle("'{0}' should hit {1} and nothing else", TestLibraries.Visible(text), entry.Id);
        var match = matches[0];
        match.Entry.Id.Should().Be(entry.Id);
        match.Entry.Category.Should().Be(entry.Category);
        match.Entry.Severity.Should().Be(entry.Severity);
        TestLibraries.Visible(match.MatchedText(text)).Should().Be(TestLibraries.Visible(span));
        match.Start.Should().Be(3 + before.Length);
    }

    [Test]
    public void The_matrix_covers_every_category()
    {
        Entries.Select(e => e.Category).Should().BeEquivalentTo(ThreatCategories.All);
    }

    [TestCase("so k i l l m y $ e l f ok")]
    [TestCase("k i l l m y s e | f")]
    [TestCase("k ! l l m y s e l f")]
    [TestCase("k | l l   m y s e l f")]
    [TestCase("k.!.l.l m.y.$.e.l.f")]
    [TestCase("k-i-|-|-m-y-$-e-|-f")]
    public void Split_letters_with_a_leet_symbol(string text)
    {
        Matcher.Scan(text).Select(m => m.Entry.Id).Should().Contain("sui-1");
    }

    [TestCase("s + a b", "stab him", false, TestName = "Too few split letters around the symbol")]
    [TestCase("s + a b h i m", "stab him", true, TestName = "Enough split letters around the symbol")]
    [TestCase("j o ! n i s ! s", "join isis", true, TestName = "Two lone symbols")]
    [TestCase("s e n d n u d e $", "send nudes", false, TestName = "A symbol at the end of split letters is punctuation")]
    [TestCase("$ e n d nudes", "send nudes", false, TestName = "A symbol at the start of split letters is punctuation")]
    public void A_lone_leet_symbol_is_a_letter_only_inside_split_letters(string text, string phrase, bool hits)
    {
        var matcher = TestLibraries.Matcher(new ThreatEntry("e-1", phrase, ThreatCategories.Violence, 3));

        matcher.Scan(text).Should().HaveCount(hits ? 1 : 0);
    }

    [TestCase("ᴋɪʟʟ ᴍʏsᴇʟғ", TestName = "Small capitals")]
    [TestCase("ᴋɪʟʟ ᴍʏꜱᴇʟꜰ", TestName = "Small capitals with ꜱ and ꜰ")]
    [TestCase("ᵏⁱˡˡ ᵐʸˢᵉˡᶠ", TestName = "Modifier (superscript) letters")]
    [TestCase("ᴷᴵᴸᴸ ᴹʸˢᴱᴸꟳ", TestName = "Modifier capital letters")]
    [TestCase("ₖᵢₗₗ ₘyₛₑₗf", TestName = "Subscript letters")]
    [TestCase("ᴋⁱʟˡ ᴍʸꜱᵉʟᶠ", TestName = "Small capitals and superscripts mixed")]
    public void Other_look_alike_alphabets(string text)
    {
        Matcher.Scan(text).Select(m => m.Entry.Id).Should().Contain("sui-1");
    }

    [TestCase("k|ll myself", TestName = "| for i")]
    [TestCase("ki11 myself", TestName = "1 for l next to an i")]
    [TestCase("ki|| myself", TestName = "| for l next to an i")]
    [TestCase("k!ll myself", TestName = "! for i")]
    [TestCase("k1|| my5e|f", TestName = "1 for i and | for l")]
    [TestCase("k|11 mys3lf", TestName = "| for i and 1 for l")]
    [TestCase("K1LL MYSE1F", TestName = "1 for i and for l, capitals")]
    [TestCase("kiiill myself", TestName = "i stretched")]
    public void I_and_l_written_as_the_other(string text)
    {
        Matcher.Scan(text).Select(m => m.Entry.Id).Should().Contain("sui-1");
    }

    [TestCase("kli myself", TestName = "l and i swapped")]
    [TestCase("kii myself", TestName = "i for l")]
    [TestCase("kll myself", TestName = "l for i")]
    [TestCase("ki1 myself", TestName = "one l where kill has two")]
    [TestCase("k11 myself", TestName = "1 for both i and l (one run)")]
    public void I_and_l_that_do_not_spell_the_phrase(string text)
    {
        Matcher.Scan(text).Select(m => m.Entry.Id).Should().NotContain("sui-1");
    }

    [TestCase("kil1 myself", TestName = "A run of l half written as 1")]
    [TestCase("k i | | myself", TestName = "Lone symbols at the edge of split letters")]
    [Ignore("Known limits (docs/THREAT-LIBRARY.md): a run of l written half as l and half as 1 is two letters; lone symbols at the edge of split letters are punctuation.")]
    public void Known_limits(string text)
    {
        Matcher.Scan(text).Select(m => m.Entry.Id).Should().Contain("sui-1");
    }

    // A phrase of more than one word runs across apostrophes (it may be a contraction written without one);
    // a one-word phrase does not (he'll is not hell), so a word disguised with an apostrophe is missed.
    [TestCase("kill myself", "k'ill myself", true)]
    [TestCase("kill", "k'ill", false)]
    public void An_apostrophe_inside_a_word(string phrase, string text, bool hits)
    {
        var matcher = TestLibraries.Matcher(new ThreatEntry("e-1", phrase, ThreatCategories.Violence, 3));

        matcher.Scan(text).Should().HaveCount(hits ? 1 : 0);
    }

    private static (string, string, string) Plain(string span) => ("", span, "");

    private static string Map(Dictionary<char, string> table, char c) => table.TryGetValue(c, out var to) ? to : c.ToString();

    /// <summary>Each letter rewritten (spaces kept); j counts letters.</summary>
    private static string Letters(string phrase, Func<char, int, string> rewrite)
    {
        var text = new StringBuilder();
        var j = 0;
        foreach (var c in phrase)
        {
            text.Append(c == ' ' ? " " : rewrite(c, j++));
        }

        return text.ToString();
    }

    /// <summary>Something inserted between every two letters of a word (and each letter maybe rewritten).</summary>
    private static string Between(string phrase, Func<int, string> insert, Func<char, string>? letter = null)
    {
        var j = 0;
        return string.Join(' ', phrase.Split(' ').Select(w => string.Concat(w.Select((c, k) =>
            (k == 0 ? "" : insert(j++)) + (letter is null ? c.ToString() : letter(c))))));
    }

    // $ and | touch letters wherever they are in these phrases; digits elsewhere, but a word's first letter
    // stays a letter (a word of digits only is a number: "90" is not "go").
    private static string Leet(string phrase) => string.Join(' ', phrase.Split(' ').Select(w => Letters(w, (c, j) => c switch
    {
        's' => "$",
        'l' => "|",
        _ when j == 0 => c.ToString(),
        _ => Map(LeetDigits, c),
    })));

    private static string Stretched(string phrase) =>
        string.Join(' ', phrase.Split(' ').Select(w =>
            string.Concat(w.Select((c, k) => new string(c, "aeiou".Contains(c, StringComparison.Ordinal) ? 4 : k == w.Length - 1 ? 3 : 1)))));

    private static string Mix(string phrase)
    {
        var letters = phrase.Replace(" ", "", StringComparison.Ordinal);
        var text = new StringBuilder();
        for (var j = 0; j < letters.Length; j++)
        {
            var c = letters[j];
            text.Append((j % 5) switch
            {
                0 => char.ToUpperInvariant(c).ToString(),
                1 => Cyrillic.TryGetValue(c, out var cyrillic) ? cyrillic : Map(LeetDigits, c),
                2 => LeetDigits.TryGetValue(c, out var digit) ? digit : Map(Accented, c),
                3 => Greek.TryGetValue(c, out var greek) ? greek : ((char)(c + 0xFEE0)).ToString(),
                _ => new string(c, 3),
            });
            if (j % 3 == 2 && j < letters.Length - 1)
            {
                text.Append('\u200B');
            }
        }

        return text.ToString();
    }
}
