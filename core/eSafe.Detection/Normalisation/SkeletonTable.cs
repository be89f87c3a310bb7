namespace eSafe.Detection.Normalisation;

/// <summary>
/// Our own table from characters to their skeleton: lower case, no accents, look-alike letters of other
/// scripts and leetspeak folded to the Latin letter they imitate. It needs no ICU and no
/// <c>string.Normalize</c>, so it works the same in the Native AOT host with invariant globalization.
/// </summary>
public static class SkeletonTable
{
    /// <summary>The letter of 1 and ! in a word: an i or an l (k1ll, ki11, k!ll).</summary>
    public const char IOrLWrittenOne = '!';

    /// <summary>The letter of | in a word: an l or an i (ki||, k|ll). Not the same as 1, so that k1|| is k, i, ll.</summary>
    public const char IOrLWrittenBar = '|';

    // For each BMP character, in one int (one load a character when scanning): its first skeleton character in
    // the low 16 bits, its class above, and whether it has a second one (ß → ss), kept apart as few do.
    private const int ClassShift = 16;
    private const int HasSecondBit = 1 << 24;
    private static readonly int[] Packed = new int[65536];
    private static readonly char[] Second = new char[65536];

    static SkeletonTable()
    {
        for (var c = 0; c < 65536; c++)
        {
            Classify((char)c);
        }

        // Full-width forms (ｋｉｌｌ) are their ASCII twins.
        for (var wide = '\uFF01'; wide <= '\uFF5E'; wide++)
        {
            Packed[wide] = Packed[wide - 0xFEE0];
        }

        // Latin letters with accents and other marks, and look-alikes from Greek, Cyrillic and elsewhere.
        Letters('a', "àáâãäåāăąǎǟǡǻȁȃȧḁạảấầẩẫậắằẳẵặⱥɐɑαάаӑӓ" + "ÀÁÂÃÄÅĀĂĄǍǞǠǺȀȂȦḀẠẢẤẦẨẪẬẮẰẲẴẶΑΆАӐӒ");
        Letters('b', "ƀɓḃḅḇβвьъ" + "ƁḂḄḆΒВ");
        Letters('c', "çćĉċčƈȼḉсϲ" + "ÇĆĈĊČƇȻḈСϹ");
        Letters('d', "ďđɖɗḋḍḏḑḓԁ" + "ĎĐƉƊḊḌḎḐḒ");
        Letters('e', "èéêëēĕėęěȅȇȩɇḕḗḙḛḝẹẻẽếềểễệεέеёэє" + "ÈÉÊËĒĔĖĘĚȄȆȨɆḔḖḘḚḜẸẺẼẾỀỂỄỆΕΈЕЁЭЄ");
        Letters('f', "ƒḟ" + "ƑḞ");
        Letters('g', "ĝğġģǥǧǵɠḡ" + "ĜĞĠĢǤǦǴƓḠ");
        Letters('h', "ĥħȟḣḥḧḩḫẖһнћђ" + "ĤĦȞḢḤḦḨḪНҺЋЂΗΉ");
        Letters('i', "ìíîïĩīĭįıǐȉȋɨḭḯỉịιίϊΐіїı" + "ÌÍÎÏĨĪĬĮİǏȈȊƗḬḮỈỊΙΊΪІЇ");
        Letters('j', "ĵǰјɉ" + "ĴЈɈ");
        Letters('k', "ķĸƙǩḱḳḵκкќқ" + "ĶƘǨḰḲḴΚКЌҚ");
        Letters('l', "ĺļľŀłƚḷḹḻḽ" + "ĹĻĽĿŁȽḶḸḺḼ");
        Letters('m', "ḿṁṃмμ" + "ḾṀṂМΜ");
        Letters('n', "ñńņňŉƞǹṅṇṉṋηήпŋ" + "ÑŃŅŇǸṄṆṈṊΝŊ");
        Letters('o', "òóôõöøōŏőơǒǫǭǿȍȏȫȭȯȱṍṏṑṓọỏốồổỗộớờởỡợοόσоөӧ" + "ÒÓÔÕÖØŌŎŐƠǑǪǬǾȌȎȪȬȮȰṌṎṐṒỌỎỐỒỔỖỘỚỜỞỠỢΟΌОӨӦ");
        Letters('p', "ṕṗρрƥ" + "ṔṖΡРƤ");
        Letters('q', "ԛɋ" + "ԚɊ");
        Letters('r', "ŕŗřȑȓɍṙṛṝṟгѓ" + "ŔŖŘȐȒɌṘṚṜṞ");
        Letters('s', "śŝşšșṡṣṥṧṩѕſ" + "ŚŜŞŠȘṠṢṤṦṨЅ");
        Letters('t', "ţťŧțƫƭṫṭṯṱẗτт" + "ŢŤŦȚƬṪṬṮṰΤТ");
        Letters('u', "ùúûüũūŭůűųưǔǖǘǚǜȕȗʉṳṵṷṹṻụủứừửữựυύϋΰµ" + "ÙÚÛÜŨŪŬŮŰŲƯǓǕǗǙǛȔȖɄṲṴṶṸṺỤỦỨỪỬỮỰ");
        Letters('v', "ṽṿνѵ" + "ṼṾѴ");
        Letters('w', "ŵẁẃẅẇẉẘωώшщ" + "ŴẀẂẄẆẈШЩ");
        Letters('x', "ẋẍχх" + "ẊẌΧХ");
        Letters('y', "ýÿŷƴȳɏẏẙỳỵỷỹуўү" + "ÝŸŶƳȲɎẎỲỴỶỸΥΎΫУЎҮ");
        Letters('z', "źżžƶȥẑẓẕζ" + "ŹŻŽƵȤẐẒẔΖ");

        // Letterlike symbols that stand in the mathematical alphabets' holes (italic ℎ, script ℯ ...), and ℓ.
        Letters('b', "ℬ");
        Letters('c', "ℂℭ");
        Letters('e', "ℯℰ");
        Letters('f', "ℱ");
        Letters('g', "ℊ");
        Letters('h', "ℎℋℌℍ");
        Letters('i', "ℐℑ");
        Letters('l', "ℒℓ");
        Letters('m', "ℳ");
        Letters('n', "ℕ");
        Letters('o', "ℴ");
        Letters('p', "ℙ");
        Letters('q', "ℚ");
        Letters('r', "ℛℜℝ");
        Letters('z', "ℤℨ");

        // Circled and parenthesised letters (Ⓚ ⓚ ⒦).
        for (var k = 0; k < 26; k++)
        {
            Letters((char)('a' + k), $"{(char)(0x24B6 + k)}{(char)(0x24D0 + k)}{(char)(0x249C + k)}");
        }

        // Small capitals (ᴋɪʟʟ) and modifier letters: superscript (ᵏⁱˡˡ), capital (ᴷᴵᴸᴸ) and subscript (ₖᵢₗₗ), as the
        // Unicode names give them (LATIN LETTER SMALL CAPITAL K, MODIFIER LETTER SMALL K, LATIN SUBSCRIPT SMALL
        // LETTER K ...). Fancy-text generators fill the missing small capital F with Cyrillic ғ.
        Letters('a', "ᴀᴬᵃₐ");
        Letters('b', "ʙᴮᵇ");
        Letters('c', "ᴄᶜꟲ");
        Letters('d', "ᴅᴰᵈ");
        Letters('e', "ᴇᴱᵉₑ");
        Letters('f', "ᶠꜰꟳғ");
        Letters('g', "ɢᴳᵍ");
        Letters('h', "ʜʰᴴₕ");
        Letters('i', "ɪᴵᵢᶦⁱ");
        Letters('j', "ʲᴊᴶⱼ");
        Letters('k', "ᴋᴷᵏₖ");
        Letters('l', "ʟˡᴸᶫₗ");
        Letters('m', "ᴍᴹᵐₘ");
        Letters('n', "ɴᴺᶰⁿₙ");
        Letters('o', "ᴏᴼᵒₒ");
        Letters('p', "ᴘᴾᵖₚ");
        Letters('q', "ꞯꟴ");
        Letters('r', "ʀʳᴿᵣ");
        Letters('s', "ˢₛꜱ");
        Letters('t', "ᴛᵀᵗₜ");
        Letters('u', "ᴜᵁᵘᵤᶸ");
        Letters('v', "ᴠᵛᵥⱽ");
        Letters('w', "ʷᴡᵂ");
        Letters('x', "ˣₓ");
        Letters('y', "ʏʸ");
        Letters('z', "ᴢᶻ");

        Pair('ß', "ss");
        Pair('ẞ', "ss");
        Pair('æ', "ae");
        Pair('Æ', "ae");
        Pair('œ', "oe");
        Pair('Œ', "oe");
        Pair('ĳ', "ij");
        Pair('Ĳ', "ij");
        Pair('\uFB00', "ff");
        Pair('\uFB01', "fi");
        Pair('\uFB02', "fl");
        Pair('\uFB05', "st");
        Pair('\uFB06', "st");

        // Leetspeak digits; 2 and 6 stay digits (2day, 6ix are words of their own).
        Letters('o', "0");
        Letters(IOrLWrittenOne, "1");
        Letters('e', "3");
        Letters('a', "4");
        Letters('s', "5");
        Letters('t', "7");
        Letters('b', "8");
        Letters('g', "9");
        Symbol('a', '@', CharClass.LeetSymbol);
        Symbol('s', '$', CharClass.LeetSymbol);
        Symbol('t', '+', CharClass.LeetSymbol);
        Symbol(IOrLWrittenBar, '|', CharClass.LeetSymbol);
        Symbol('e', '€', CharClass.LeetSymbol);
        Symbol(IOrLWrittenOne, '!', CharClass.LeetInner);
        Symbol('\0', '\'', CharClass.Apostrophe);
        Symbol('\0', '\u2019', CharClass.Apostrophe);

        // Arabic script as Urdu pupils type it: one form for each letter that has several.
        Letters('\u0627', "\u0622\u0623\u0625\u0671");
        Letters('\u06CC', "\u064A\u0649\u06D2\u0626");
        Letters('\u06A9', "\u0643");
        Letters('\u06C1', "\u0647\u06D5\u0629");
        Letters('\u0648', "\u0624");
        for (var d = 0; d < 10; d++)
        {
            Letters((char)Packed['0' + d], $"{(char)(0x0660 + d)}{(char)(0x06F0 + d)}");
        }

        // Bengali and Gurmukhi letters with a nukta written as one character are their base letter, as the
        // nukta typed apart is dropped (য় = য় = য).
        Letters('\u09A1', "\u09DC");
        Letters('\u09A2', "\u09DD");
        Letters('\u09AF', "\u09DF");
        Letters('\u0A16', "\u0A59");
        Letters('\u0A17', "\u0A5A");
        Letters('\u0A1C', "\u0A5B");
        Letters('\u0A2B', "\u0A5E");
        Letters('\u0A32', "\u0A33");
        Letters('\u0A38', "\u0A36");
    }

    /// <summary>
    /// What the automaton sees of a letter: i, l and the letters of 1, ! and | are one symbol to it (so ki11 and
    /// k|ll reach kill); which of them the text has is checked on a hit.
    /// </summary>
    public static char Symbol(char letter) => letter is 'l' or IOrLWrittenOne or IOrLWrittenBar ? 'i' : letter;

    /// <summary>Whether a letter of a phrase and one of a text are the same, 1, ! and | being an i or an l.</summary>
    public static bool SameLetter(char phrase, char text) =>
        phrase == text || (Symbol(phrase) == 'i' && Symbol(text) == 'i' && (IsIOrL(phrase) || IsIOrL(text)));

    private static bool IsIOrL(char letter) => letter is IOrLWrittenOne or IOrLWrittenBar;

    /// <summary>What <paramref name="c"/> is to the matcher.</summary>
    public static CharClass Class(char c) => (CharClass)(Packed[c] >> ClassShift);

    /// <summary>The skeleton of a letter (or leet symbol): one character, and a second for ß, æ and the like.</summary>
    public static (char First, char Second) Skeleton(char c) => ((char)Packed[c], Second[c]);

    /// <summary>A character's class and first skeleton character in one look-up (see <see cref="ClassOf"/>, <see cref="FirstOf"/>).</summary>
    internal static int Lookup(char c) => Packed[c];

    internal static CharClass ClassOf(int lookup) => (CharClass)((lookup >> ClassShift) & 0xFF);

    internal static char FirstOf(int lookup) => (char)lookup;

    /// <summary>The second skeleton character (ß → ss), or '\0': only looked up for the few characters that have one.</summary>
    internal static char SecondOf(int lookup, char c) => (lookup & HasSecondBit) != 0 ? Second[c] : '\0';

    /// <summary>The skeleton of a character outside the BMP (mathematical, enclosed and regional-indicator letters).</summary>
    public static char SkeletonOfSupplementary(int codePoint) => codePoint switch
    {
        >= 0x1D400 and <= 0x1D6A3 => (char)('a' + ((codePoint - 0x1D400) % 52 % 26)),
        >= 0x1D7CE and <= 0x1D7FF => (char)Packed['0' + ((codePoint - 0x1D7CE) % 10)],
        >= 0x1F130 and <= 0x1F149 => (char)('a' + (codePoint - 0x1F130)),
        >= 0x1F150 and <= 0x1F169 => (char)('a' + (codePoint - 0x1F150)),
        >= 0x1F170 and <= 0x1F189 => (char)('a' + (codePoint - 0x1F170)),
        >= 0x1F1E6 and <= 0x1F1FF => (char)('a' + (codePoint - 0x1F1E6)),
        _ => '\0',
    };

    private static void Classify(char c)
    {
        if (c is >= 'a' and <= 'z' or >= '0' and <= '9')
        {
            Set(c, CharClass.Letter, c);
        }
        else if (c is >= 'A' and <= 'Z')
        {
            Set(c, CharClass.Letter, (char)(c | 0x20));
        }
        else if (IsIgnorable(c))
        {
            Packed[c] = (int)CharClass.Ignorable << ClassShift;
        }
        else if (IsIndicVowelSignOrVirama(c))
        {
            // Bengali, Gurmukhi and the other Indic scripts write vowels and the virama as marks: they are part of
            // the word (ক + ি is কি), not separators and not accents to drop.
            Set(c, CharClass.Letter, c);
        }
        else if (!char.IsSurrogate(c) && char.IsLetterOrDigit(c))
        {
            Set(c, CharClass.Letter, char.ToLowerInvariant(c));
        }
        else
        {
            Packed[c] = (int)CharClass.Separator << ClassShift;
        }
    }

    private static bool IsIndicVowelSignOrVirama(char c) =>
        c is >= '\u0900' and <= '\u0D7F' && !IsIgnorable(c)
            && char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.NonSpacingMark or System.Globalization.UnicodeCategory.SpacingCombiningMark;

    // In the Indic blocks the candrabindu (x01), the nukta (x3C) and Gurmukhi's bindi, tippi and addak (nasal and
    // doubling marks) come and go with the keyboard and the writer: dropped, like Arabic harakat.
    private static bool IsIndicOptionalMark(char c) =>
        c is >= '\u0900' and <= '\u0D7F' && ((c & 0x7F) is 0x01 or 0x3C || c is '\u0A02' or '\u0A70' or '\u0A71');

    private static bool IsIgnorable(char c) =>
        IsIndicOptionalMark(c) || c is '\u00AD' or '\u034F' or '\u061C' or '\u0640' or '\u180E' or '\uFEFF'
            or >= '\u200B' and <= '\u200F'
            or >= '\u202A' and <= '\u202E'
            or >= '\u2060' and <= '\u206F'
            or >= '\u0300' and <= '\u036F'
            or >= '\u0483' and <= '\u0489'
            or >= '\u064B' and <= '\u065F'
            or '\u0670'
            or >= '\u1AB0' and <= '\u1AFF'
            or >= '\u1DC0' and <= '\u1DFF'
            or >= '\u20D0' and <= '\u20FF'
            or >= '\uFE00' and <= '\uFE0F'
            or >= '\uFE20' and <= '\uFE2F';

    private static void Letters(char skeleton, string sources)
    {
        foreach (var c in sources)
        {
            Set(c, CharClass.Letter, skeleton);
            if (c is >= '!' and <= '~')
            {
                Set((char)(c + 0xFEE0), CharClass.Letter, skeleton);
            }
        }
    }

    private static void Symbol(char skeleton, char source, CharClass charClass)
    {
        Set(source, charClass, skeleton);
        if (source is >= '!' and <= '~')
        {
            Set((char)(source + 0xFEE0), charClass, skeleton);
        }
    }

    private static void Pair(char source, string skeleton)
    {
        Set(source, CharClass.Letter, skeleton[0]);
        Second[source] = skeleton[1];
        Packed[source] |= HasSecondBit;
    }

    private static void Set(char c, CharClass charClass, char skeleton)
    {
        Packed[c] = ((int)charClass << ClassShift) | skeleton | (Second[c] != '\0' ? HasSecondBit : 0);
    }
}
