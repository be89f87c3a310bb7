using System.Buffers.Binary;
using eSafe.Detection.Image;

namespace eSafe.Detection;

/// <summary>
/// The compiled library file: what the host loads. Its bytes are the library itself, laid out to be used
/// where they lie (<see cref="ImageLayout"/>, docs/THREAT-LIBRARY.md): loading checks them and keeps them,
/// it copies nothing out. Little-endian: <c>"ESLB"</c>, format version, counts, the automaton (base and
/// check interleaved), the sparse output index, the outputs, the letters, the tails, the entries and their
/// strings, and a 64-bit checksum of all before it, so a damaged file is refused rather than half-used.
/// </summary>
public static class LibraryFormat
{
    public const ushort FormatVersion = 3;
    private static readonly byte[] Magic = "ESLB"u8.ToArray();

    public static byte[] Write(CompiledLibrary library)
    {
        ArgumentNullException.ThrowIfNull(library);
        return library.Image.Bytes.ToArray();
    }

    /// <summary>Reads a compiled library from a copy of the bytes; throws <see cref="InvalidDataException"/> saying what is wrong.</summary>
    public static CompiledLibrary Read(ReadOnlySpan<byte> file) => Read(file.ToArray());

    /// <summary>
    /// Reads a compiled library that keeps <paramref name="file"/> as its storage (do not change the array
    /// afterwards); throws <see cref="InvalidDataException"/> saying what is wrong.
    /// </summary>
    public static CompiledLibrary Read(byte[] file)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("compiled libraries are read in place, which needs a little-endian machine");
        }

        if (file.Length < ImageLayout.MagicAndFormatSize + ImageLayout.ChecksumSize || !file.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new InvalidDataException("this is not a compiled eSafe library (no ESLB header)");
        }

        // The version first: another format may check its bytes another way.
        var format = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(Magic.Length));
        if (format != FormatVersion)
        {
            throw new InvalidDataException($"the compiled library has format {format}; this program reads format {FormatVersion}");
        }

        var bodyLength = file.Length - ImageLayout.ChecksumSize;
        if (ImageChecksum.Of(file.AsSpan(0, bodyLength)) != BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(bodyLength)))
        {
            throw new InvalidDataException("the compiled library is damaged (its checksum does not match)");
        }

        if (bodyLength < ImageLayout.HeaderSize)
        {
            throw new InvalidDataException("the compiled library is malformed: its header is cut short");
        }

        var counts = ImageLayout.ReadCounts(file);
        if (counts.Problem() is { } countProblem)
        {
            throw new InvalidDataException(countProblem);
        }

        var layout = new ImageLayout(counts);
        if (layout.FileLength != file.Length)
        {
            throw new InvalidDataException($"the compiled library's header does not match its length ({file.Length} bytes)");
        }

        var image = new LibraryImage(file, layout);
        if (ImageChecks.Problem(image) is { } problem)
        {
            throw new InvalidDataException(problem);
        }

        return new CompiledLibrary(image);
    }
}
