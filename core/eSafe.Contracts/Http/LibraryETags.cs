using System.Globalization;
using System.Security.Cryptography;

namespace eSafe.Contracts.Http;

/// <summary>
/// The ETags of library downloads, made the same way on both sides so that a device can send
/// <c>If-None-Match</c> for what it holds without having kept the header.
/// </summary>
public static class LibraryETags
{
    /// <summary>A compiled library's ETag: the first 128 bits of its SHA-256.</summary>
    public static string OfGlobal(ReadOnlySpan<byte> compiled) =>
        $"\"g-{Convert.ToHexStringLower(SHA256.HashData(compiled))[..32]}\"";

    public static string OfSchoolLayer(string schoolId, int version) =>
        string.Create(CultureInfo.InvariantCulture, $"\"s-{schoolId}-{version}\"");
}
