using System.Security.Cryptography;

namespace eSafe.Server.Security;

/// <summary>Crockford's base32 (no I, L, O, U): random IDs, codes and passwords that read aloud and type well.</summary>
public static class Base32
{
    public const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /// <summary>A random string of <paramref name="length"/> characters (5 bits each).</summary>
    public static string Random(int length, bool lowerCase = false)
    {
        var bytes = RandomNumberGenerator.GetBytes(length);
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            // 256 is a multiple of 32, so taking the low 5 bits keeps the choice uniform.
            var c = Alphabet[bytes[i] & 31];
            chars[i] = lowerCase ? char.ToLowerInvariant(c) : c;
        }

        CryptographicOperations.ZeroMemory(bytes);
        return new string(chars);
    }

    /// <summary>Upper-cases and maps the look-alikes (O → 0, I and L → 1); null when a character is not base32.</summary>
    public static string? Normalise(ReadOnlySpan<char> text)
    {
        var chars = new char[text.Length];
        for (var i = 0; i < text.Length; i++)
        {
            var c = char.ToUpperInvariant(text[i]) switch
            {
                'O' => '0',
                'I' or 'L' => '1',
                var other => other,
            };
            if (!Alphabet.Contains(c, StringComparison.Ordinal))
            {
                return null;
            }

            chars[i] = c;
        }

        return new string(chars);
    }

    /// <summary>Splits into dash-separated groups for display: ABCD-EFGH-….</summary>
    public static string Group(string value, int size)
    {
        ArgumentNullException.ThrowIfNull(value);
        return string.Join('-', value.Chunk(size).Select(c => new string(c)));
    }
}
