using System.Globalization;
using System.Text;
using eSafe.Detection.Normalisation;
using eSafe.Detection.Tests.Support;

namespace eSafe.Detection.Tests;

/// <summary>
/// What a text reduces to before matching (docs/THREAT-LIBRARY.md): folded letters, dropped separators and
/// invisible characters, doubled letters once, where words start, and how each symbol maps back to the text.
/// Expected skeletons are written with a space before every word start but the first (see <see cref="TestLibraries.Render"/>).
/// </summary>
public sealed class SkeletonTests
{
    [TestCase("kill", "kil")]
    [TestCase("KILL", "kil")]
    [TestCase("KiLl MySeLf", "kil myself")]
    [TestCase("SUICIDE", "suicide")]
    [TestCase("İstanbul", "istanbul")]
    public void Case_is_folded(string text, string expected) => Of(text).Should().Be(expected);

    [TestCase("kíll", "kil", TestName = "Accent: acute")]
    [TestCase("kìll", "kil", TestName = "Accent: grave")]
    [TestCase("kîll", "kil", TestName = "Accent: circumflex")]
    [TestCase("kïll mÿsëlf", "kil myself", TestName = "Accent: diaeresis")]
    [TestCase("ñõã", "noa", TestName = "Accent: tilde")]
    [TestCase("åsk", "ask", TestName = "Accent: ring")]
    [TestCase("çut", "cut", TestName = "Accent: cedilla")]
    [TestCase("šťžčřď", "stzcrd", TestName = "Accent: caron")]
    [TestCase("āēīōū", "aeiou", TestName = "Accent: macron")]
    [TestCase("ăĕĭŏŭğ", "aeioug", TestName = "Accent: breve")]
    [TestCase("ąęįų", "aeiu", TestName = "Accent: ogonek")]
    [TestCase("ėżġċ", "ezgc", TestName = "Accent: dot above")]
    [TestCase("ạẹịọụ", "aeiou", TestName = "Accent: dot below")]
    [TestCase("őű", "ou", TestName = "Accent: double acute")]
    [TestCase("øłđħŧ", "oldht", TestName = "Accent: stroke")]
    [TestCase("ƙɓɗƈ", "kbdc", TestName = "Accent: hook")]
    [TestCase("șț", "st", TestName = "Accent: comma below")]
    [TestCase("ơư", "ou", TestName = "Accent: horn")]
    [TestCase("ậệộ", "aeo", TestName = "Accent: stacked (Vietnamese)")]
    [TestCase("ÀÉÎÕÜÇ", "aeiouc", TestName = "Accent: capitals")]
    [TestCase("ıİ", "i", TestName = "Accent: dotless and dotted i")]
    [TestCase("ſ", "s", TestName = "Accent: long s")]
    [TestCase("k\u0301i\u0308l\u030Cl", "kil", TestName = "Accent: combining marks (decomposed)")]
    [TestCase("e\u0301\u0302\u0303\u0304", "e", TestName = "Accent: stacked combining marks")]
    [TestCase("k\u0334\u0321i\u0337\u0358l\u0338l\u0336\u035C", "kil", TestName = "Accent: zalgo")]
    [TestCase("a\u1AB0b\u1DC0c\u20D7d\uFE20", "abcd", TestName = "Accent: extended combining blocks")]
    [TestCase("к\u0483\u0489", "k", TestName = "Accent: Cyrillic combining marks")]
    public void Accents_and_other_marks_are_dropped(string text, string expected) => Of(text).Should().Be(expected);

    /// <summary>Every precomposed Latin letter whose canonical decomposition is an ASCII letter and marks.</summary>
    [Test]
    public void Every_precomposed_latin_letter_folds_to_its_base_letter()
    {
        var wrong = new List<string>();
        var checkedLetters = 0;
        foreach (var (from, to) in new[] { (0x00C0, 0x024F), (0x1E00, 0x1EFF) })
        {
            for (var c = from; c <= to; c++)
            {
                var letter = ((char)c).ToString();
                var decomposed = letter.Normalize(NormalizationForm.FormD);
                if (!char.IsLetter(letter[0]) || decomposed.Length < 2 || !char.IsAsciiLetter(decomposed[0]))
                {
                    continue;
                }

                checkedLetters++;
                var expected = char.ToLowerInvariant(decomposed[0]).ToString();
                if (Of(letter) != expected)
                {
                    wrong.Add($"U+{c:X4} {letter} → '{Of(letter)}', expected '{expected}'");
                }
            }
        }

        checkedLetters.Should().BeGreaterThan(400);
        wrong.Should().BeEmpty();
    }

    private static IEnumerable<TestCaseData> InvisibleCharacters()
    {
        var invisible = new (char Char, string Name)[]
        {
            ('\u200B', "zero-width space"), ('\u200C', "zero-width non-joiner"), ('\u200D', "zero-width joiner"),
            ('\u2060', "word joiner"), ('\u2061', "function application"), ('\u2063', "invisible separator"),
            ('\uFEFF', "byte order mark"), ('\u00AD', "soft hyphen"), ('\u034F', "combining grapheme joiner"),
            ('\u180E', "Mongolian vowel separator"), ('\uFE0F', "variation selector 16"),
            ('\u200E', "left-to-right mark"), ('\u200F', "right-to-left mark"), ('\u061C', "Arabic letter mark"),
            ('\u202A', "LRE"), ('\u202B', "RLE"), ('\u202C', "PDF"), ('\u202D', "LRO"), ('\u202E', "RLO"),
            ('\u2066', "LRI"), ('\u2067', "RLI"), ('\u2068', "FSI"), ('\u2069', "PDI"),
        };
        foreach (var (c, name) in invisible)
        {
            yield return new TestCaseData($"ki{c}ll {c}my{c}{c}self{c}", "kil myself").SetArgDisplayNames(name);
        }
    }

    [TestCaseSource(nameof(InvisibleCharacters))]
    public void Zero_width_and_bidi_characters_are_invisible(string text, string expected) => Of(text).Should().Be(expected);

    [Test]
    public void A_zero_width_character_between_two_words_joins_them()
    {
        Of("kill\u200Bmyself").Should().Be("kilmyself");
    }

    [TestCase("кіll", "kil", TestName = "Look-alike: Cyrillic")]
    [TestCase("КІLL", "kil", TestName = "Look-alike: Cyrillic capitals")]
    [TestCase("сосk", "cock", TestName = "Look-alike: Cyrillic сосk")]
    [TestCase("ѕех", "sex", TestName = "Look-alike: Cyrillic ѕех")]
    [TestCase("АЅЅ", "as", TestName = "Look-alike: Cyrillic АЅЅ")]
    [TestCase("һеllо ԁеаr", "helo dear", TestName = "Look-alike: Cyrillic һ ԁ")]
    [TestCase("јump ԛuіz", "jump quiz", TestName = "Look-alike: Cyrillic ј ԛ")]
    [TestCase("κιll", "kil", TestName = "Look-alike: Greek")]
    [TestCase("ΚΙLL", "kil", TestName = "Look-alike: Greek capitals")]
    [TestCase("ροτ ηυτ νεχ", "pot nut vex", TestName = "Look-alike: Greek ρ τ η υ ν χ")]
    [TestCase("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "abezhikmnoptyx", TestName = "Look-alike: Greek capital alphabet")]
    [TestCase("ｋｉｌｌ", "kil", TestName = "Look-alike: full-width")]
    [TestCase("ＫＩＬＬ ＭＹＳＥＬＦ", "kil myself", TestName = "Look-alike: full-width capitals")]
    [TestCase("ｋ１ｌｌ ＄ｕｉｃｉｄｅ ｋ！ｌｌ", "k!l suicide k!l", TestName = "Look-alike: full-width leet")]
    [TestCase("𝐤𝐢𝐥𝐥", "kil", TestName = "Look-alike: mathematical bold")]
    [TestCase("𝓀𝒾𝓁𝓁", "kil", TestName = "Look-alike: mathematical script")]
    [TestCase("𝕜𝕚𝕝𝕝", "kil", TestName = "Look-alike: mathematical double-struck")]
    [TestCase("𝑠ℎ𝑜𝑜𝑡", "shot", TestName = "Look-alike: mathematical italic with ℎ")]
    [TestCase("𝓂𝓎𝓈ℯ𝓁𝒻", "myself", TestName = "Look-alike: mathematical script with ℯ")]
    [TestCase("ℓ𝑜ℓ", "lol", TestName = "Look-alike: script small l")]
    [TestCase("𝟏", "!", TestName = "Look-alike: mathematical digit")]
    [TestCase("🅺🅸🅻🅻", "kil", TestName = "Look-alike: negative squared")]
    [TestCase("🅚🅘🅛🅛", "kil", TestName = "Look-alike: negative circled")]
    [TestCase("🄺🄸🄻🄻", "kil", TestName = "Look-alike: squared")]
    [TestCase("ⓚⓘⓛⓛ", "kil", TestName = "Look-alike: circled")]
    [TestCase("ⓀⒾⓁⓁ", "kil", TestName = "Look-alike: circled capitals")]
    [TestCase("⒦⒤⒧⒧", "kil", TestName = "Look-alike: parenthesised")]
    [TestCase("🇰🇮🇱🇱", "kil", TestName = "Look-alike: regional indicators")]
    [TestCase("ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘꞯʀꜱᴛᴜᴠᴡʏᴢ", "abcdefghijklmnopqrstuvwyz", TestName = "Look-alike: small capitals (there is no small capital x)")]
    [TestCase("ᴋɪʟʟ ᴍʏsᴇʟғ", "kil myself", TestName = "Look-alike: small capitals with Cyrillic ғ for f")]
    [TestCase("ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻ", "abcdefghijklmnoprstuvwxyz", TestName = "Look-alike: modifier small letters (there is no q)")]
    [TestCase("ᴬᴮꟲᴰᴱꟳᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾꟴᴿᵀᵁⱽᵂ", "abcdefghijklmnopqrtuvw", TestName = "Look-alike: modifier capital letters")]
    [TestCase("ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ", "aehijklmnoprstuvx", TestName = "Look-alike: subscript letters")]
    [TestCase("ᶦᶫᶰᶸ", "ilnu", TestName = "Look-alike: modifier small capitals")]
    public void Look_alike_letters_fold_to_the_latin_letter(string text, string expected) => Of(text).Should().Be(expected);

    // The mathematical alphabets' holes are filled by Letterlike Symbols (italic h is ℎ, script e is ℯ ...).
    private static readonly Dictionary<int, char> MathematicalHoles = new()
    {
        [0x1D455] = 'ℎ', [0x1D49D] = 'ℬ', [0x1D4A0] = 'ℰ', [0x1D4A1] = 'ℱ', [0x1D4A3] = 'ℋ', [0x1D4A4] = 'ℐ',
        [0x1D4A7] = 'ℒ', [0x1D4A8] = 'ℳ', [0x1D4AD] = 'ℛ', [0x1D4BA] = 'ℯ', [0x1D4BC] = 'ℊ', [0x1D4C4] = 'ℴ',
        [0x1D506] = 'ℭ', [0x1D50B] = 'ℌ', [0x1D50C] = 'ℑ', [0x1D515] = 'ℜ', [0x1D51D] = 'ℨ', [0x1D53A] = 'ℂ',
        [0x1D53F] = 'ℍ', [0x1D545] = 'ℕ', [0x1D547] = 'ℙ', [0x1D548] = 'ℚ', [0x1D549] = 'ℝ', [0x1D551] = 'ℤ',
    };

    /// <summary>All 13 mathematical alphabets (bold, italic, script, fraktur, double-struck, sans, monospace ...), 52 letters each.</summary>
    [Test]
    public void Every_mathematical_letter_folds_to_its_latin_letter()
    {
        var wrong = new List<string>();
        for (var codePoint = 0x1D400; codePoint <= 0x1D6A3; codePoint++)
        {
            var isHole = MathematicalHoles.TryGetValue(codePoint, out var letterlike);
            var isCapital = (codePoint - 0x1D400) % 52 < 26;
            CharUnicodeInfo.GetUnicodeCategory(codePoint).Should().Be(
                isHole ? UnicodeCategory.OtherNotAssigned : isCapital ? UnicodeCategory.UppercaseLetter : UnicodeCategory.LowercaseLetter,
                "the table of holes must match Unicode (U+{0:X5})", codePoint);
            var text = isHole ? letterlike.ToString() : char.ConvertFromUtf32(codePoint);
            var expected = ((char)('a' + (codePoint - 0x1D400) % 52 % 26)).ToString();
            if (Of(text) != expected)
            {
                wrong.Add($"U+{char.ConvertToUtf32(text, 0):X5} {text} → '{Of(text)}', expected '{expected}'");
            }
        }

        wrong.Should().BeEmpty();
    }

    [Test]
    public void Every_full_width_enclosed_and_regional_indicator_letter_folds_to_its_latin_letter()
    {
        var alphabets = new (string Name, int First)[]
        {
            ("full-width capital", 0xFF21), ("full-width small", 0xFF41), ("circled capital", 0x24B6), ("circled small", 0x24D0),
            ("parenthesised small", 0x249C), ("squared", 0x1F130), ("negative circled", 0x1F150), ("negative squared", 0x1F170),
            ("regional indicator", 0x1F1E6),
        };
        var wrong = new List<string>();
        foreach (var (name, first) in alphabets)
        {
            for (var k = 0; k < 26; k++)
            {
                var text = char.ConvertFromUtf32(first + k);
                var expected = ((char)('a' + k)).ToString();
                if (Of(text) != expected)
                {
                    wrong.Add($"{name} U+{first + k:X4} {text} → '{Of(text)}', expected '{expected}'");
                }
            }
        }

        wrong.Should().BeEmpty();
    }

    [TestCase("k1ll", "k!l")]
    [TestCase("5h00t", "shot")]
    [TestCase("d13", "d!e")]
    [TestCase("4ss", "as")]
    [TestCase("9un", "gun")]
    [TestCase("7ime", "time")]
    [TestCase("8omb", "bomb")]
    [TestCase("h8", "hb")]
    [TestCase("2day", "2day")]
    [TestCase("6ix", "6ix")]
    [TestCase("k١ll k۱ll", "k!l k!l")]
    [TestCase("year 7", "year t")]
    [TestCase("2026", "2026")]
    [TestCase("page 45", "page 45")]
    [TestCase("at 7:45", "at t 45")]
    [TestCase("٤٥", "45")]
    [TestCase("911", "91")]
    public void Leet_digits_are_the_letters_they_imitate_except_in_numbers_and_2_and_6_stay_digits(string text, string expected) =>
        Of(text).Should().Be(expected);

    /// <summary>i, l and the letters of 1, ! and | are one symbol to the automaton; which letter it was is kept for the check.</summary>
    [TestCase("kill", "kii")]
    [TestCase("ki11", "kii")]
    [TestCase("k|ll", "kii")]
    [TestCase("k1||", "kii")]
    [TestCase("lol", "ioi")]
    [TestCase("2011", "201")]
    public void I_and_l_are_one_symbol_to_the_automaton(string text, string expected) =>
        new string(Skeleton.Of(text).Symbols).Should().Be(expected);

    [TestCase("$uicide", "suicide", TestName = "Symbol: $ before a letter is s")]
    [TestCase("a$$", "as", TestName = "Symbol: $ after a letter is s")]
    [TestCase("costs $ 5", "costs s", TestName = "Symbol: $ alone is punctuation")]
    [TestCase("@ss", "as", TestName = "Symbol: @ before a letter is a")]
    [TestCase("see you @ home", "se you home", TestName = "Symbol: @ alone is punctuation")]
    [TestCase("me@school", "measchol", TestName = "Symbol: @ inside a word is a")]
    [TestCase("s+ab", "stab", TestName = "Symbol: + inside a word is t")]
    [TestCase("a + b", "a b", TestName = "Symbol: + alone is punctuation")]
    [TestCase("|ol", "|ol", TestName = "Symbol: | before a letter is l or i")]
    [TestCase("ki||", "ki|", TestName = "Symbol: | after a letter is l or i")]
    [TestCase("this | that", "this that", TestName = "Symbol: | alone is punctuation")]
    [TestCase("€vil", "evil", TestName = "Symbol: € before a letter is e")]
    [TestCase("k!ll", "k!l", TestName = "Symbol: ! between letters is i or l")]
    [TestCase("!kill", "kil", TestName = "Symbol: ! before a word is punctuation")]
    [TestCase("kill!", "kil", TestName = "Symbol: ! after a word is punctuation")]
    [TestCase("no! way!!", "no way", TestName = "Symbol: ! at word ends is punctuation")]
    [TestCase("$\u200Buicide", "suicide", TestName = "Symbol: $ then a zero-width character then a letter is s")]
    [TestCase("k!\u200Bll", "k!l", TestName = "Symbol: ! then a zero-width character then a letter is i or l")]
    [TestCase("@\u0301ss", "as", TestName = "Symbol: @ with a combining mark is a")]
    [TestCase("$𝐮𝐢𝐜𝐢𝐝𝐞", "suicide", TestName = "Symbol: $ before a mathematical letter is s")]
    [TestCase("𝐤!𝐥𝐥", "k!l", TestName = "Symbol: ! between mathematical letters is i or l")]
    public void Symbols_are_letters_only_where_they_touch_letters(string text, string expected) => Of(text).Should().Be(expected);

    // Inside a word an apostrophe is dropped, and what follows it is a part of its own (rendered after a "'").
    [TestCase("don't", "don't")]
    [TestCase("don’t", "don't")]
    [TestCase("it's o'clock", "it's o'clock")]
    [TestCase("'kill'", "kil")]
    [TestCase("rock 'n' roll", "rock n rol")]
    [TestCase("pupils' work", "pupils work")]
    [TestCase("don'\u200Bt", "don't")]
    [TestCase("he'll", "he'l")]
    [TestCase("see'em", "se'em")]
    public void Apostrophes_inside_words_are_dropped_and_elsewhere_separate(string text, string expected) =>
        Of(text).Should().Be(expected);

    [TestCase("straße", "strase")]
    [TestCase("STRAẞE", "strase")]
    [TestCase("ß", "s")]
    [TestCase("æther Æsop", "aether aesop")]
    [TestCase("œuvre Œil", "oeuvre oeil")]
    [TestCase("ĳs Ĳs", "ijs ijs")]
    [TestCase("ﬁre ﬂag oﬀ", "fire flag of")]
    [TestCase("ﬅop ﬆop", "stop stop")]
    public void Two_letter_characters_and_ligatures_are_written_out(string text, string expected) => Of(text).Should().Be(expected);

    private static IEnumerable<TestCaseData> ArabicVariantLetters()
    {
        var forms = new (char Canonical, string Variants, string Name)[]
        {
            ('\u0627', "\u0622\u0623\u0625\u0671", "alef"),
            ('\u06CC', "\u064A\u0649\u06D2\u0626", "yeh"),
            ('\u06A9', "\u0643", "kaf"),
            ('\u06C1', "\u0647\u06D5\u0629", "heh"),
            ('\u0648', "\u0624", "waw"),
        };
        foreach (var (canonical, variants, name) in forms)
        {
            foreach (var variant in variants)
            {
                yield return new TestCaseData($"\u0628{variant}\u062A", $"\u0628{canonical}\u062A")
                    .SetArgDisplayNames($"{name} U+{(int)variant:X4}");
            }
        }
    }

    [TestCaseSource(nameof(ArabicVariantLetters))]
    public void Arabic_script_letters_with_several_forms_fold_to_the_urdu_one(string text, string expected) =>
        Of(text).Should().Be(expected);

    [TestCase("خودكشي", "خودکشی", TestName = "Arabic script: Arabic keyboard kaf and yeh")]
    [TestCase("خُودکُشِی", "خودکشی", TestName = "Arabic script: harakat")]
    [TestCase("مَّرْنًا", "مرنا", TestName = "Arabic script: shadda, sukun, tanween")]
    [TestCase("رحمٰن", "رحمن", TestName = "Arabic script: superscript alef")]
    [TestCase("خودـــکشی", "خودکشی", TestName = "Arabic script: tatweel")]
    [TestCase("می\u200Cخواهم", "میخواہم", TestName = "Arabic script: zero-width non-joiner inside a word")]
    [TestCase("میں خودکشی", "میں خودکشی", TestName = "Arabic script: words")]
    public void Arabic_script_harakat_and_tatweel_are_dropped(string text, string expected) => Of(text).Should().Be(expected);

    // Bengali and Gurmukhi write vowels and the virama as combining marks: they stay in the word, so a word is
    // one word and two words that differ only in a vowel stay apart.
    [TestCase("আত্মহত্যা করব", "আত্মহত্যা করব", TestName = "Bengali: vowel signs and virama stay in the word")]
    [TestCase("মরতে চাই", "মরতে চাই", TestName = "Bengali: two words")]
    [TestCase("মরে", "মরে", TestName = "Bengali: e sign kept")]
    [TestCase("মারে", "মারে", TestName = "Bengali: aa sign kept")]
    [TestCase("য়", "য", TestName = "Bengali: ya with nukta as one character is ya")]
    [TestCase("য়", "য", TestName = "Bengali: ya with nukta typed apart is ya")]
    [TestCase("চাঁদ", "চাদ", TestName = "Bengali: candrabindu dropped")]
    [TestCase("ਖ਼ੁਦਕੁਸ਼ੀ", "ਖੁਦਕੁਸੀ", TestName = "Gurmukhi: nukta letters as one character are their base letters")]
    [TestCase("ਖ਼ੁਦਕੁਸ਼ੀ", "ਖੁਦਕੁਸੀ", TestName = "Gurmukhi: nukta typed apart dropped")]
    [TestCase("ਮਰਨਾ ਚਾਹੁੰਦਾ", "ਮਰਨਾ ਚਾਹੁਦਾ", TestName = "Gurmukhi: tippi dropped, vowel signs kept")]
    [TestCase("ਮੈਂ ਮਰ ਜਾਵਾਂ", "ਮੈ ਮਰ ਜਾਵਾ", TestName = "Gurmukhi: bindi dropped")]
    [TestCase("ਪੱਕਾ", "ਪਕਾ", TestName = "Gurmukhi: addak dropped")]
    [TestCase("ਮੈਨੂੰ", "ਮੈਨੂ", TestName = "Gurmukhi: a word with u and tippi")]
    public void Indic_vowel_signs_stay_in_the_word_and_optional_marks_are_dropped(string text, string expected) => Of(text).Should().Be(expected);

    [TestCase("vreau să mă sinucid", "vreau sa ma sinucid", TestName = "Romanian: breve")]
    [TestCase("înjunghii ştii ţigară", "injunghi sti tigara", TestName = "Romanian: circumflex and cedilla forms")]
    [TestCase("înjunghii știi țigară", "injunghi sti tigara", TestName = "Romanian: comma-below forms")]
    [TestCase("أريد أن أموت", "ارید ان اموت", TestName = "Arabic: hamza forms of alef and Arabic yeh")]
    [TestCase("انتحار", "انتحار", TestName = "Arabic: a plain word")]
    [TestCase("اقتلك", "اقتلک", TestName = "Arabic: Arabic keyboard kaf")]
    [TestCase("مَيِّتَة", "میتہ", TestName = "Arabic: harakat dropped, teh marbuta as heh")]
    [TestCase("ਮੈਂ ਆਪਣੇ ਆਪ ਨੂੰ ਮਾਰ ਦੇਵਾਂਗਾ", "ਮੈ ਆਪਣੇ ਆਪ ਨੂ ਮਾਰ ਦੇਵਾਗਾ", TestName = "Gurmukhi: a sentence")]
    [TestCase("میں مرنا چاہندا", "میں مرنا چاہندا", TestName = "Shahmukhi: as Urdu script")]
    [TestCase("Waan is dilayaa", "wan is dilaya", TestName = "Somali: doubled vowels shown once (their runs are kept)")]
    public void The_new_languages_fold_as_pupils_type_them(string text, string expected) => Of(text).Should().Be(expected);

    [TestCase("k i l l", "k i l", TestName = "Split: spaces")]
    [TestCase("k.i.l.l", "k i l", TestName = "Split: dots")]
    [TestCase("k-i-l-l", "k i l", TestName = "Split: hyphens")]
    [TestCase("k_i_l_l", "k i l", TestName = "Split: underscores")]
    [TestCase("k . i . l . l", "k i l", TestName = "Split: gaps of three")]
    [TestCase("K-1-L-L", "k ! l", TestName = "Split: leet")]
    [TestCase("a a a", "a", TestName = "Split: one letter repeated")]
    [TestCase("k    i    l    l", "k i l l", TestName = "Split: gaps too wide to join repeated letters")]
    [TestCase("l\nl", "l l", TestName = "Split: not across lines")]
    [TestCase("m y $ e l f", "m y s e l f", TestName = "Split: a lone leet symbol among split letters")]
    [TestCase("k ! l l", "k ! l", TestName = "Split: a lone ! among split letters")]
    [TestCase("k i | |", "k i", TestName = "Split: lone symbols at the end are punctuation")]
    [TestCase("k i | | m y", "k i | m y", TestName = "Split: two lone symbols among split letters")]
    [TestCase("a $ 5 fee", "a s fe", TestName = "Split: too few split letters around a lone symbol")]
    [TestCase("x + y\nz", "x y z", TestName = "Split: a lone symbol's split letters not across lines")]
    [TestCase("a b c $ d", "a b c s d", TestName = "Split: a lone symbol with one split letter after it")]
    public void Split_letters_are_one_letter_words_and_a_repeated_one_counts_once(string text, string expected) =>
        Of(text).Should().Be(expected);

    [TestCase("kiiiillll", "kil")]
    [TestCase("diiieeee", "die")]
    [TestCase("noooooo", "no")]
    [TestCase("KiIiLlL", "kil")]
    [TestCase("aaa bbb", "a b")]
    [TestCase("as s", "as s")]
    [TestCase("so sad", "so sad")]
    public void Stretched_letters_count_once_within_a_word(string text, string expected) => Of(text).Should().Be(expected);

    /// <summary>How many times each symbol's letter appeared in a row.</summary>
    [TestCase("kill", "1,1,2")]
    [TestCase("kiiillll", "1,3,4")]
    [TestCase("k i l l", "1,1,2", TestName = "Runs: split letters")]
    [TestCase("k . i . l . l", "1,1,2", TestName = "Runs: split letters with gaps")]
    [TestCase("a a a", "3", TestName = "Runs: a split letter repeated")]
    [TestCase("ki11", "1,1,2", TestName = "Runs: leet digits")]
    [TestCase("a$$", "1,2", TestName = "Runs: leet symbols")]
    [TestCase("straße", "1,1,1,1,2,1", TestName = "Runs: ß is two s")]
    [TestCase("ki\u200Bll", "1,1,2", TestName = "Runs: zero-width characters are not counted")]
    [TestCase("he'll", "1,1,2", TestName = "Runs: an apostrophe does not join letters (see'em)")]
    [TestCase("see'em", "1,2,1,1", TestName = "Runs: no double across an apostrophe")]
    [TestCase("as soon as", "1,1,1,2,1,1,1", TestName = "Runs: words")]
    public void Every_symbol_counts_its_letter_in_a_row(string text, string expected) =>
        string.Join(',', Runs(Skeleton.Of(text))).Should().Be(expected);

    [Test]
    public void A_very_long_run_is_counted_up_to_255()
    {
        Runs(Skeleton.Of("k" + new string('i', 1000))).Should().Equal(1, 255);
    }

    [TestCase("", "")]
    [TestCase("!!! ... ???", "")]
    [TestCase("hello world", "helo world")]
    [TestCase("kill-myself", "kil myself")]
    [TestCase("killmyself", "kilmyself")]
    [TestCase("kill😀myself", "kil myself")]
    [TestCase("kill, myself.", "kil myself")]
    [TestCase("a\tb\r\nc", "a b c")]
    public void Words_start_after_separators(string text, string expected) => Of(text).Should().Be(expected);

    [TestCase("")]
    [TestCase("hello")]
    [TestCase("  hello world  ")]
    public void The_start_and_the_end_are_always_word_starts(string text)
    {
        var skeleton = Skeleton.Of(text);

        skeleton.WordStarts.Length.Should().Be(skeleton.Length + 1);
        skeleton.WordStarts[0].Should().BeTrue();
        skeleton.WordStarts[skeleton.Length].Should().BeTrue();
    }

    [Test]
    public void A_reused_skeleton_forgets_the_previous_text()
    {
        var skeleton = new Skeleton();
        skeleton.Build("k i l l and a much longer text after it, with words");
        skeleton.Build("skill");

        TestLibraries.Render(skeleton).Should().Be("skil");
        skeleton.WordStarts.ToArray().Should().Equal(true, false, false, false, true);
    }

    [Test]
    public void A_long_text_is_built_whole()
    {
        var text = string.Concat(Enumerable.Repeat("straße æther ", 1000));
        Of(text).Should().Be(string.Join(' ', Enumerable.Repeat("strase aether", 1000)));
    }

    /// <summary>Each symbol's original characters, separated by '|'.</summary>
    [TestCase("kiiLL", "k|ii|LL", TestName = "Span: stretched letters")]
    [TestCase("straße", "s|t|r|a|ß|e", TestName = "Span: ß is one symbol (ss counts once)")]
    [TestCase("ßa", "ß|a", TestName = "Span: ß first")]
    [TestCase("æb", "æ|æ|b", TestName = "Span: æ is two symbols from one character")]
    [TestCase("𝐤𝐢𝐥𝐥", "𝐤|𝐢|𝐥𝐥", TestName = "Span: surrogate pairs")]
    [TestCase("🇰🇮", "🇰|🇮", TestName = "Span: regional indicators")]
    [TestCase("k\u200Bi", "k|i", TestName = "Span: zero-width characters belong to no symbol")]
    [TestCase("k i l l", "k|i|l l", TestName = "Span: a repeated split letter")]
    [TestCase("don't", "d|o|n|t", TestName = "Span: apostrophe")]
    [TestCase("$uicide", "$|u|i|c|i|d|e", TestName = "Span: leet symbol")]
    [TestCase("K-1-L-L", "K|1|L-L", TestName = "Span: split leet")]
    [TestCase("ｋｉｌｌ", "ｋ|ｉ|ｌｌ", TestName = "Span: full-width")]
    [TestCase("e\u0301x", "e\u0301|x", TestName = "Span: a letter keeps its combining marks")]
    [TestCase("kil\u0301l\u0301", "k|i|l\u0301l\u0301", TestName = "Span: a stretched letter keeps its combining marks")]
    [TestCase("خُود", "خُ|و|د", TestName = "Span: harakat")]
    public void Every_symbol_maps_back_to_its_original_characters(string text, string expected)
    {
        var skeleton = Skeleton.Of(text);
        var spans = new List<string>();
        for (var i = 0; i < skeleton.Length; i++)
        {
            var (start, length) = skeleton.OriginalSpan(i, i + 1);
            spans.Add(text.Substring(start, length));
        }

        string.Join('|', spans).Should().Be(expected);
    }

    [TestCase("\u202Ekill myself\u202C", "kill myself")]
    [TestCase("  K-1-L-L!!  ", "K-1-L-L")]
    [TestCase("\u200Bki\u200Bll\u200B", "ki\u200Bll")]
    [TestCase("(𝐤𝐢𝐥𝐥)", "𝐤𝐢𝐥𝐥")]
    [TestCase(" k\u0334i\u0337l\u0338l\u0336\u035C!", "k\u0334i\u0337l\u0338l\u0336\u035C")]
    public void The_whole_skeleton_spans_from_the_first_letter_to_the_last(string text, string expected)
    {
        var skeleton = Skeleton.Of(text);

        var (start, length) = skeleton.OriginalSpan(0, skeleton.Length);

        text.Substring(start, length).Should().Be(expected);
    }

    private static string Of(string text) => TestLibraries.Render(Skeleton.Of(text));

    private static IEnumerable<int> Runs(Skeleton skeleton) => Enumerable.Range(0, skeleton.Length).Select(skeleton.RunAt);
}
