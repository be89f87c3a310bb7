using System.Runtime.InteropServices;

namespace eSafe.Detection.Image;

/// <summary>
/// FNV-1a over 64-bit words, seeded with the length: no crypto library to load, so the host starts fast.
/// A checksum, not a signature: it guards against damage; delivery guards against tampering.
/// </summary>
internal static class ImageChecksum
{
    public static ulong Of(ReadOnlySpan<byte> bytes)
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
}
