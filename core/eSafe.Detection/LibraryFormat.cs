using System.Runtime.InteropServices;
using System.Text;
using eSafe.Detection.Compilation;

namespace eSafe.Detection;

/// <summary>
/// The compiled library file: what the host loads. Little-endian throughout:
/// <c>"ESLB"</c>, format version, name, version, entries, alphabet, the automaton's arrays, and a
/// 64-bit checksum of all before it, so a damaged file is refused rather than half-used. (A checksum,
/// not a signature: it guards against damage; delivery guards against tampering.)
/// </summary>
public static class LibraryFormat
{
    public const ushort FormatVersion = 1;
    private const int ChecksumSize = 8;
    private static readonly byte[] Magic = "ESLB"u8.ToArray();

    public static byte[] Write(CompiledLibrary library)
    {
        ArgumentNullException.ThrowIfNull(library);
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(FormatVersion);
            writer.Write(library.Name);
            writer.Write(library.Version);
            writer.Write(library.Entries.Count);
            foreach (var entry in library.Entries)
            {
                writer.Write(entry.Id);
                writer.Write(entry.Phrase);
                writer.Write((byte)IndexOfCategory(entry.Category));
                writer.Write((byte)entry.Severity);
                writer.Write(entry.Language);
                writer.Write((byte)entry.Exceptions.Count);
                foreach (var exception in entry.Exceptions)
                {
                    writer.Write(exception);
                }
            }

            var automaton = library.Automaton;
            WriteArray(writer, automaton.Alphabet.AsSpan());
            WriteArray(writer, automaton.Base.AsSpan());
            WriteArray(writer, automaton.Check.AsSpan());
            WriteArray(writer, automaton.OutputHead.AsSpan());
            WriteArray(writer, automaton.OutputEntry.AsSpan());
            WriteArray(writer, automaton.OutputFlags.AsSpan());
            WriteArray(writer, automaton.OutputNext.AsSpan());
        }

        var body = buffer.ToArray();
        var sum = new byte[ChecksumSize];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(sum, Checksum(body));
        return [.. body, .. sum];
    }

    /// <summary>Reads a compiled library; throws <see cref="InvalidDataException"/> saying what is wrong.</summary>
    public static CompiledLibrary Read(ReadOnlySpan<byte> file) => Read(file.ToArray());

    /// <summary>Reads a compiled library without copying it; throws <see cref="InvalidDataException"/> saying what is wrong.</summary>
    public static CompiledLibrary Read(byte[] file)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (file.Length < Magic.Length + 2 + ChecksumSize || !file.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new InvalidDataException("this is not a compiled eSafe library (no ESLB header)");
        }

        var bodyLength = file.Length - ChecksumSize;
        if (Checksum(file.AsSpan(0, bodyLength)) != System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(bodyLength)))
        {
            throw new InvalidDataException("the compiled library is damaged (its checksum does not match)");
        }

        using var stream = new MemoryStream(file, 0, bodyLength, writable: false);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        try
        {
            reader.ReadBytes(Magic.Length);
            var format = reader.ReadUInt16();
            if (format != FormatVersion)
            {
                throw new InvalidDataException($"the compiled library has format {format}; this program reads format {FormatVersion}");
            }

            var name = reader.ReadString();
            var version = reader.ReadString();
            var count = reader.ReadInt32();
            if (count is < 0 or > ThreatLibrary.MaxEntries)
            {
                throw new InvalidDataException($"the compiled library claims {count} entries");
            }

            var entries = new ThreatEntry[count];
            var languages = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < count; i++)
            {
                var id = reader.ReadString();
                var phrase = reader.ReadString();
                var category = ThreatCategories.All[reader.ReadByte()];
                var severity = reader.ReadByte();
                var language = reader.ReadString();
                language = languages.TryGetValue(language, out var known) ? known : languages[language] = language;
                var exceptionCount = reader.ReadByte();
                var exceptions = exceptionCount == 0 ? [] : new string[exceptionCount];
                for (var e = 0; e < exceptions.Length; e++)
                {
                    exceptions[e] = reader.ReadString();
                }

                entries[i] = new ThreatEntry(id, phrase, category, severity, language, exceptions);
            }

            var alphabet = ReadArray<char>(reader);
            var codes = new ushort[65536];
            for (var i = 0; i < alphabet.Length; i++)
            {
                codes[alphabet[i]] = (ushort)(i + 1);
            }

            var automaton = new DoubleArrayBuilder.Result(codes, alphabet, ReadArray<int>(reader), ReadArray<int>(reader),
                ReadArray<int>(reader), ReadArray<int>(reader), ReadArray<byte>(reader), ReadArray<int>(reader));
            Validate(automaton, count);
            return new CompiledLibrary(name, version, entries, automaton);
        }
        catch (Exception e) when (e is EndOfStreamException or IndexOutOfRangeException or ArgumentOutOfRangeException or FormatException)
        {
            throw new InvalidDataException($"the compiled library is malformed: {e.Message}", e);
        }
    }

    // Each output points only at an earlier one, so a chain always ends: a crafted file cannot make Scan loop.
    private static void Validate(DoubleArrayBuilder.Result automaton, int entries)
    {
        var states = automaton.Base.Length;
        if (automaton.Check.Length != states || automaton.OutputHead.Length != states
            || automaton.OutputFlags.Length != automaton.OutputEntry.Length || automaton.OutputNext.Length != automaton.OutputEntry.Length
            || automaton.OutputEntry.Any(e => (uint)e >= (uint)entries)
            || automaton.OutputHead.Any(o => o < -1 || o >= automaton.OutputEntry.Length)
            || automaton.OutputNext.Select((next, o) => next < -1 || next >= o).Any(bad => bad))
        {
            throw new InvalidDataException("the compiled library's automaton is inconsistent");
        }
    }

    // FNV-1a over 64-bit words: no crypto library to load, so the host starts fast.
    private static ulong Checksum(ReadOnlySpan<byte> bytes)
    {
        const ulong prime = 0x100000001B3;
        var hash = 0xCBF29CE484222325UL ^ (ulong)bytes.Length;
        var words = MemoryMarshal.Cast<byte, ulong>(bytes);
        foreach (var word in words)
        {
            hash = (hash ^ word) * prime;
        }

        foreach (var b in bytes[(words.Length * 8)..])
        {
            hash = (hash ^ b) * prime;
        }

        return hash;
    }

    private static int IndexOfCategory(string category)
    {
        for (var i = 0; i < ThreatCategories.All.Count; i++)
        {
            if (ThreatCategories.All[i] == category)
            {
                return i;
            }
        }

        throw new FormatException($"unknown category '{category}'");
    }

    private static void WriteArray<T>(BinaryWriter writer, ReadOnlySpan<T> values) where T : unmanaged
    {
        writer.Write(values.Length);
        writer.Write(MemoryMarshal.AsBytes(values));
    }

    private static T[] ReadArray<T>(BinaryReader reader) where T : unmanaged
    {
        var length = reader.ReadInt32();
        var size = System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        if (length < 0 || (long)length * size > reader.BaseStream.Length - reader.BaseStream.Position)
        {
            throw new InvalidDataException($"the compiled library claims an array of {length} items that it does not hold");
        }

        var values = GC.AllocateUninitializedArray<T>(length);
        reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }
}
