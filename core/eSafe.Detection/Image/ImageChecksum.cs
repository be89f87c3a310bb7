using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace eSafe.Detection.Image;

/// <summary>
/// FNV-1a over little-endian 64-bit words in four interleaved lanes (word i goes to lane i mod 4), the
/// lanes then folded into one hash with the length and the last bytes. Four lanes keep four multiplies in
/// flight, so a load checks its bytes about as fast as memory delivers them. No crypto library to load.
/// A checksum, not a signature: it guards against damage; delivery guards against tampering.
/// </summary>
internal static class ImageChecksum
{
    private const ulong Prime = 0x100000001B3;
    private const ulong Offset = 0xCBF29CE484222325;

    // Runs once, at start-up, over the whole file: compiled optimised at once rather than tiered up.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ulong Of(ReadOnlySpan<byte> bytes)
    {
        var words = MemoryMarshal.Cast<byte, ulong>(bytes[..(bytes.Length & ~31)]);
        ulong a = Offset, b = Offset ^ 1, c = Offset ^ 2, d = Offset ^ 3;
        for (var i = 0; i < words.Length; i += 4)
        {
            a = (a ^ words[i]) * Prime;
            b = (b ^ words[i + 1]) * Prime;
            c = (c ^ words[i + 2]) * Prime;
            d = (d ^ words[i + 3]) * Prime;
        }

        var hash = Offset ^ (ulong)bytes.Length;
        foreach (var lane in (ReadOnlySpan<ulong>)[a, b, c, d])
        {
            hash = (hash ^ lane) * Prime;
        }

        foreach (var rest in bytes[(words.Length * 8)..])
        {
            hash = (hash ^ rest) * Prime;
        }

        return hash;
    }
}
