using System.Buffers.Text;
using System.Security.Cryptography;

namespace eSafe.Server.Notifications.Phone;

/// <summary>
/// The secret in a call's key-press URL and an SMS link that stands for one alert: 22 to 64 URL-safe characters
/// (A–Z, a–z, 0–9, '-', '_'). Anything else is refused before any store is asked.
/// </summary>
public static class AcknowledgeTokens
{
    public const int MinLength = 22;
    public const int MaxLength = 64;

    public static bool IsValid(string? token) =>
        token is { Length: >= MinLength and <= MaxLength } && !token.AsSpan().ContainsAnyExcept(UrlSafe);

    /// <summary>A new token: 32 random bytes, base64url (43 characters).</summary>
    public static string New() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    private static readonly System.Buffers.SearchValues<char> UrlSafe =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
}
