using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using eSafe.Detection.Tests.Support;

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
            catch (InvalidDataException e) when (e.Message.Contains("checksum", StringComparison.Ordinal) || e.Message.Contains("no ESLB header", StringComparison.Ordinal))
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
        var countAt = 4 + 2 + StringSize("format-test") + StringSize("2026.1");
        var firstCategoryAt = countAt + 4 + StringSize(Compiled.Entries[0].Id) + StringSize(Compiled.Entries[0].Phrase);
        yield return Case("a negative entry count", b => BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(countAt), -1), "the compiled library claims -1 entries");
        yield return Case("too many entries", b => BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(countAt), 2_000_000), "the compiled library claims 2000000 entries");
        yield return Case("more entries than written", b => BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(countAt), Entries.Length + 1), "the compiled library*");
        yield return Case("an unknown category", b => b[firstCategoryAt] = 200, "the compiled library is malformed: *");
        yield return Case("an array longer than the file", b => BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(OutputArrays(b).EntriesAt - 4), int.MaxValue),
            "the compiled library claims an array of 2147483647 items that it does not hold");
        yield return Case("an output naming no entry", b => BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(OutputArrays(b).EntriesAt), Entries.Length),
            "the compiled library's automaton is inconsistent");
        yield return Case("arrays of different lengths", b => BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(OutputArrays(b).NextAt - 4), OutputArrays(b).Count - 1),
            "the compiled library's automaton is inconsistent");
        yield return new TestCaseData(WithChecksum(Body(LibraryFormat.Write(Compiled))[..(countAt + 2)]), "the compiled library is malformed: *")
            .SetArgDisplayNames("the body cut short");

        static TestCaseData Case(string what, Action<byte[]> damage, string message)
        {
            var body = Body(LibraryFormat.Write(Compiled));
            damage(body);
            return new TestCaseData(WithChecksum(body), message).SetArgDisplayNames(what);
        }
    }

    [TestCaseSource(nameof(Malformed))]
    public void A_file_with_a_good_checksum_and_a_bad_body_is_refused(byte[] file, string message)
    {
        var act = () => LibraryFormat.Read(file);

        act.Should().Throw<InvalidDataException>().WithMessage(message);
    }

    private static int StringSize(string value) => 1 + Encoding.UTF8.GetByteCount(value);

    /// <summary>
    /// The body ends with the three output arrays, each after its length: entries (int), flags (byte), next (int).
    /// Where the entries' and the nexts' items start, and how many there are.
    /// </summary>
    private static (int EntriesAt, int NextAt, int Count) OutputArrays(byte[] body)
    {
        for (var n = 1; 9 * n + 12 <= body.Length; n++)
        {
            var nextAt = body.Length - 4 * n;
            var flagsAt = nextAt - 4 - n;
            var entriesAt = flagsAt - 4 - 4 * n;
            if (Int(nextAt - 4) == n && Int(flagsAt - 4) == n && Int(entriesAt - 4) == n)
            {
                return (entriesAt, nextAt, n);
            }
        }

        throw new InvalidOperationException("no output arrays at the end of the body");

        int Int(int at) => BinaryPrimitives.ReadInt32LittleEndian(body.AsSpan(at));
    }

    private static byte[] Body(byte[] file) => file[..^8];

    // The format's checksum (FNV-1a over little-endian 64-bit words, seeded with the length), to forge files that pass it.
    private static byte[] WithChecksum(byte[] body)
    {
        var hash = 0xCBF29CE484222325UL ^ (ulong)body.Length;
        var words = MemoryMarshal.Cast<byte, ulong>(body);
        foreach (var word in words)
        {
            hash = (hash ^ word) * 0x100000001B3UL;
        }

        foreach (var b in body.AsSpan(words.Length * 8))
        {
            hash = (hash ^ b) * 0x100000001B3UL;
        }

        var file = new byte[body.Length + 8];
        body.CopyTo(file, 0);
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(body.Length), hash);
        return file;
    }
}
