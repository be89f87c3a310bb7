using System.Buffers.Binary;
using System.Runtime.InteropServices;
using eSafe.Detection.Tests.Support;
using S = eSafe.Detection.Tests.Support.LibraryFileSections;

namespace eSafe.Detection.Tests;

/// <summary>The compiled library file: it scans as the library it was made from, it is deterministic, and a damaged one is refused.</summary>
public sealed class LibraryFormatTests
{
    private static readonly ThreatEntry[] Entries =
    [
        new("sui-1", "kill+ myself", ThreatCategories.Suicide, 5),
        new("sui-2", "kms", ThreatCategories.Suicide, 4),
        new("sh-1", "cut+ myself", ThreatCategories.SelfHarm, 5, "en-GB", ["cut+ myself some slack"]),
        new("vio-1", "kill", ThreatCategories.Violence, 2, "en-GB", ["kill the process", "kill time"]),
        new("vio-2", "bomb", ThreatCategories.Violence, 3, "en-GB", ["bath bomb"]),
        new("gro-1", "paedo*", ThreatCategories.Grooming, 4),
        new("gro-2", "don't tell your parents", ThreatCategories.Grooming, 5),
        new("bul-1", "loser+", ThreatCategories.Bullying, 2),
        new("dru-1", "weed", ThreatCategories.Drugs, 2),
        new("ur-1", "خودکشی", ThreatCategories.Suicide, 5, "ur"),
        new("pl-1", "zabiję się", ThreatCategories.Suicide, 5, "pl"),
    ];

    private static readonly string[] Corpus =
    [
        "i want to kill myself", "KILL MYSELF", "k1ll mys3lf", "skill myself", "killmyself", "cutting myself", "cut myself some slack",
        "kill the process", "kill time", "bath bomb", "a bomb", "paedophile", "dont tell your parents ok", "you loser", "losers",
        "میں خودکشی کرنا چاہتا ہوں", "zabije sie", "zabiję się jutro", "weed", "we did it", "hello world", "",
    ];

    private static readonly CompiledLibrary Compiled = TestLibraries.Compile("format-test", "2026.1", Entries);

    [Test]
    public void A_library_read_back_has_the_same_name_version_and_entries()
    {
        var read = LibraryFormat.Read(LibraryFormat.Write(Compiled));

        read.Name.Should().Be("format-test");
        read.Version.Should().Be("2026.1");
        read.StateCount.Should().Be(Compiled.StateCount);
        read.Entries.Should().BeEquivalentTo(Compiled.Entries, o => o.WithStrictOrdering());
    }

    [Test]
    public void A_library_read_back_scans_identically()
    {
        var original = new ThreatMatcher(Compiled);
        var read = new ThreatMatcher(LibraryFormat.Read(LibraryFormat.Write(Compiled)));

        foreach (var text in Corpus)
        {
            read.Scan(text).Select(TestLibraries.Key).Should().Equal(original.Scan(text).Select(TestLibraries.Key), "scanning '{0}'", text);
        }

        Corpus.Sum(t => original.Scan(t).Count).Should().BeGreaterThan(15, "the corpus must hit");
    }

    [Test]
    public void Writing_what_was_read_gives_the_same_bytes()
    {
        var bytes = LibraryFormat.Write(Compiled);

        LibraryFormat.Write(LibraryFormat.Read(bytes)).Should().Equal(bytes);
    }

    [Test]
    public void Compiling_is_deterministic_whatever_the_order_of_the_entries()
    {
        var expected = LibraryFormat.Write(TestLibraries.Compile("format-test", "2026.1", Entries));
        for (var seed = 0; seed < 10; seed++)
        {
            var shuffled = Entries.ToArray();
            new Random(seed).Shuffle(shuffled);

            LibraryFormat.Write(TestLibraries.Compile("format-test", "2026.1", shuffled)).Should().Equal(expected, "entries shuffled with seed {0}", seed);
        }
    }

    [Test]
    public void An_empty_library_round_trips()
    {
        var empty = TestLibraries.Compile("empty", "0");

        var read = LibraryFormat.Read(LibraryFormat.Write(empty));

        read.Entries.Should().BeEmpty();
        new ThreatMatcher(read).Scan("kill myself").Should().BeEmpty();
    }

    [Test]
    public void Flipping_any_bit_of_any_byte_is_refused()
    {
        var bytes = LibraryFormat.Write(Compiled);
        var wrong = new List<string>();
        for (var position = 0; position < bytes.Length; position++)
        {
            var damaged = bytes.ToArray();
            damaged[position] ^= (byte)(1 << (position % 8));
            try
            {
                LibraryFormat.Read(damaged);
                wrong.Add($"byte {position} was accepted");
            }
            catch (InvalidDataException e) when (e.Message.Contains("checksum", StringComparison.Ordinal) || e.Message.Contains("no ESLB header", StringComparison.Ordinal)
                || (position is 4 or 5 && e.Message.Contains("this program reads format", StringComparison.Ordinal)))
            {
            }
            catch (InvalidDataException e)
            {
                wrong.Add($"byte {position} refused without saying it is damaged: {e.Message}");
            }
        }

        bytes.Length.Should().BeGreaterThan(1000);
        wrong.Should().BeEmpty();
    }

    [Test]
    public void A_truncated_file_is_refused()
    {
        var bytes = LibraryFormat.Write(Compiled);
        foreach (var length in new[] { 0, 1, 4, 6, 13, 14, bytes.Length / 2, bytes.Length - 9, bytes.Length - 8, bytes.Length - 1 })
        {
            var act = () => LibraryFormat.Read(bytes.AsSpan(0, length));

            act.Should().Throw<InvalidDataException>("a file cut to {0} bytes", length);
        }
    }

    [Test]
    public void A_file_with_another_magic_is_refused()
    {
        var bytes = LibraryFormat.Write(Compiled);
        "ESLC"u8.CopyTo(bytes);

        var act = () => LibraryFormat.Read(bytes);

        act.Should().Throw<InvalidDataException>().WithMessage("this is not a compiled eSafe library (no ESLB header)");
    }

    [Test]
    public void Something_else_entirely_is_refused()
    {
        var act = () => LibraryFormat.Read("name: default\nversion: 2026.11.28\n"u8);

        act.Should().Throw<InvalidDataException>().WithMessage("*no ESLB header*");
    }

    [Test]
    public void A_future_format_version_is_refused_even_with_a_good_checksum()
    {
        var body = Body(LibraryFormat.Write(Compiled));
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(4), LibraryFormat.FormatVersion + 1);

        var act = () => LibraryFormat.Read(WithChecksum(body));

        act.Should().Throw<InvalidDataException>()
            .WithMessage($"the compiled library has format {LibraryFormat.FormatVersion + 1}; this program reads format {LibraryFormat.FormatVersion}");
    }

    [Test]
    public void The_test_checksum_is_the_one_the_format_uses()
    {
        var bytes = LibraryFormat.Write(Compiled);

        WithChecksum(Body(bytes)).Should().Equal(bytes);
    }

    // Files that pass the checksum but do not hold a library: each is refused, none half-read.
    private static IEnumerable<TestCaseData> Malformed()
    {
        yield return Case("a negative entry count", (b, _) => S.SetInt(b, S.EntriesCountAt, -1), "the compiled library claims -1 entries");
        yield return Case("too many entries", (b, _) => S.SetInt(b, S.EntriesCountAt, 2_000_000), "the compiled library claims 2000000 entries");
        yield return Case("more entries than written", (b, s) => S.SetInt(b, S.EntriesCountAt, s.Entries + 1),
            "the compiled library's header does not match its length (*");
        yield return Case("a negative state count", (b, _) => S.SetInt(b, S.StatesAt, -5), "the compiled library's header holds a negative count");
        yield return Case("no state at all", (b, _) => S.SetInt(b, S.StatesAt, 0), "the compiled library's header holds a negative count");
        yield return Case("more states than a file holds", (b, _) => S.SetInt(b, S.StatesAt, int.MaxValue), "the compiled library claims more than a file can hold");
        yield return Case("more outputs than written", (b, s) => S.SetInt(b, S.OutputsCountAt, s.Outputs + 2),
            "the compiled library's header does not match its length (*");
        yield return Case("an unknown category", (b, s) => b[s.EntryRowsAt + 4] = 200, "the compiled library's entries are inconsistent");
        yield return Case("a severity of 0", (b, s) => b[s.EntryRowsAt + 5] = 0, "the compiled library's entries are inconsistent");
        yield return Case("a severity of 6", (b, s) => b[s.EntryRowsAt + 5] = 6, "the compiled library's entries are inconsistent");
        yield return Case("an unknown language", (b, s) => b[s.EntryRowsAt + 6] = 9, "the compiled library's entries are inconsistent");
        yield return Case("an exception more than written", (b, s) => b[s.EntryRowsAt + 7]++, "the compiled library's entries are inconsistent");
        yield return Case("an entry's strings out of order", (b, s) => S.SetInt(b, s.EntryRowsAt + 8, 0), "the compiled library's entries are inconsistent");
        yield return Case("a string ending before the one before", (b, s) => S.SetInt(b, s.StringEndsAt + 4, 0), "the compiled library's strings are inconsistent");
        yield return Case("strings longer than written", (b, s) => S.SetInt(b, s.StringEndsAt + (4 * (s.Strings - 1)), S.Int(b, s.StringEndsAt + (4 * (s.Strings - 1))) + 1),
            "the compiled library's strings are inconsistent");
        yield return Case("an output naming no entry", (b, s) => S.SetInt(b, s.OutputsAt, s.Entries << 8),
            $"the compiled library's automaton is inconsistent: an output names entry {Entries.Length} of {Entries.Length}");
        yield return Case("an output naming a negative entry", (b, s) => S.SetInt(b, s.OutputsAt, -256), "the compiled library's automaton is inconsistent: *");
        yield return Case("an output with unknown options", (b, s) => b[s.OutputsAt] = 0x40, "the compiled library's automaton is inconsistent: *");
        yield return Case("an output naming a part no phrase has", (b, s) => b[s.OutputsAt] = 9 << 2, "the compiled library's automaton is inconsistent: *");
        yield return Case("outputs running backwards", (b, s) => S.SetInt(b, s.OutputStartsAt + 4, s.Outputs + 1),
            "the compiled library's automaton is inconsistent: its outputs do not add up");
        yield return Case("outputs not starting at the first", (b, s) => S.SetInt(b, s.OutputStartsAt, 1),
            "the compiled library's automaton is inconsistent: its outputs do not add up");
        yield return Case("an output index that does not add up", (b, s) => S.SetInt(b, s.BlocksAt + 24, S.Int(b, s.BlocksAt + 24) + 1),
            "the compiled library's automaton is inconsistent: its output index does not add up");
        yield return Case("one state with outputs more than counted", (b, s) => b[s.BlocksAt] ^= 1,
            "the compiled library's automaton is inconsistent: its output index does not add up");
        yield return Case("outputs on a state past the last", (b, s) => b[s.BlocksAt + (16 * ((s.States - 1) / 64)) + 7] |= 0x80,
            "the compiled library's automaton is inconsistent: its output index does not add up");
        yield return new TestCaseData(WithChecksum(Body(LibraryFormat.Write(Compiled))[..24]), "the compiled library is malformed: its header is cut short")
            .SetArgDisplayNames("the header cut short");

        static TestCaseData Case(string what, Action<byte[], LibraryFileSections> damage, string message)
        {
            var body = Body(LibraryFormat.Write(Compiled));
            damage(body, new LibraryFileSections(body));
            return new TestCaseData(WithChecksum(body), message).SetArgDisplayNames(what);
        }
    }

    [TestCaseSource(nameof(Malformed))]
    public void A_file_with_a_good_checksum_and_a_bad_body_is_refused(byte[] file, string message)
    {
        var act = () => LibraryFormat.Read(file);

        act.Should().Throw<InvalidDataException>().WithMessage(message);
    }

    /// <summary>Any base and check a crafted file could hold, any marks and any tails, scan without error and end.</summary>
    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    [TestCase(4)]
    public void A_crafted_automaton_cannot_make_a_scan_fail_or_run_away(int seed)
    {
        var body = Body(LibraryFormat.Write(Compiled));
        var sections = new LibraryFileSections(body);
        var random = new Random(seed);
        var cells = body.AsSpan(sections.CellsAt, sections.States * 8);
        for (var i = 0; i < cells.Length; i += 4)
        {
            var value = random.Next(6) switch
            {
                0 => random.Next(-3, sections.States),                      // a plausible check or base
                1 => int.MinValue | random.Next(0, sections.States),        // a base marked as having outputs
                2 => (1 << 30) | random.Next(0, sections.TailChars + 2),    // a base marked as having a tail
                3 => int.MinValue | (1 << 30) | random.Next(0, 1 << 30),     // both, anywhere
                4 => int.MaxValue - random.Next(0, 70_000),                  // a base near overflow
                _ => random.Next(int.MinValue, int.MaxValue),
            };
            BinaryPrimitives.WriteInt32LittleEndian(cells[i..], value);
        }

        var tails = body.AsSpan(sections.TailsAt, sections.TailChars * 2);
        for (var i = 0; i < tails.Length; i += 2)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(tails[i..], (ushort)(random.Next(2) == 0 ? random.Next(0, 40) : random.Next(0, 65536)));
        }

        var matcher = new ThreatMatcher(LibraryFormat.Read(WithChecksum(body)));

        foreach (var text in Corpus)
        {
            var act = () => matcher.Scan(text);

            act.Should().NotThrow("scanning '{0}'", text);
        }
    }

    [Test]
    public void A_file_of_the_previous_format_is_refused_by_its_version_whatever_its_checksum()
    {
        var file = LibraryFormat.Write(Compiled);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(4), 1);

        var act = () => LibraryFormat.Read(file);

        act.Should().Throw<InvalidDataException>().WithMessage($"the compiled library has format 1; this program reads format {LibraryFormat.FormatVersion}");
    }

    private static byte[] Body(byte[] file) => file[..^8];

    // The format's checksum (FNV-1a over little-endian 64-bit words in four lanes, folded with the length and the
    // last bytes), to forge files that pass it.
    private static byte[] WithChecksum(byte[] body)
    {
        const ulong prime = 0x100000001B3UL;
        var words = MemoryMarshal.Cast<byte, ulong>(body.AsSpan(0, body.Length / 32 * 32));
        var lanes = new[] { 0xCBF29CE484222325UL, 0xCBF29CE484222325UL ^ 1, 0xCBF29CE484222325UL ^ 2, 0xCBF29CE484222325UL ^ 3 };
        for (var i = 0; i < words.Length; i++)
        {
            lanes[i % 4] = (lanes[i % 4] ^ words[i]) * prime;
        }

        var hash = 0xCBF29CE484222325UL ^ (ulong)body.Length;
        foreach (var lane in lanes)
        {
            hash = (hash ^ lane) * prime;
        }

        foreach (var b in body.AsSpan(words.Length * 8))
        {
            hash = (hash ^ b) * prime;
        }

        var file = new byte[body.Length + 8];
        body.CopyTo(file, 0);
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(body.Length), hash);
        return file;
    }
}
