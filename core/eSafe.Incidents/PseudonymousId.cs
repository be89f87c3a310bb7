using System.Security.Cryptography;
using System.Text;

namespace eSafe.Incidents;

/// <summary>
/// The pupil's user ID as the service sees it: HMAC-SHA256 of the account name under the school's own
/// key. The school, holding its records, can map it back; the service cannot.
/// </summary>
public static class PseudonymousId
{
    public const int Length = 32;

    /// <summary>
    /// The user ID of an incident from a device that has no school key (an install error, shown by the host's
    /// status): well formed, so the incident is never lost, and the same for every pupil, so it links to no one.
    /// </summary>
    public static readonly string Unknown = new('0', Length);

    public static string Compute(ReadOnlySpan<byte> schoolKey, string identity)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(identity);
        if (schoolKey.Length < 32)
        {
            throw new ArgumentException("The school's pseudonymisation key must be at least 32 bytes.", nameof(schoolKey));
        }

        var normalised = Encoding.UTF8.GetBytes(identity.Trim().ToLowerInvariant());
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(schoolKey, normalised, mac);
        return Convert.ToHexStringLower(mac[..(Length / 2)]);
    }

    public static bool IsValid(string? id) =>
        id is { Length: Length } && id.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');
}
