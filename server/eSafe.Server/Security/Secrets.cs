using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace eSafe.Server.Security;

/// <summary>IDs, enrolment codes, device tokens and passwords that the server issues; all random, none hard-coded.</summary>
public static class Secrets
{
    public const int EnrolmentCodeLength = 20;

    public static string NewSchoolId() => "sch-" + Base32.Random(16, lowerCase: true);

    public static string NewDeviceId() => "dev-" + Base32.Random(24, lowerCase: true);

    /// <summary>100 random bits, shown as five groups of four: <c>7GQ2-MX4P-…</c>.</summary>
    public static string NewEnrolmentCode() => Base32.Group(Base32.Random(EnrolmentCodeLength), 4);

    /// <summary>An enrolment code as typed (any case, dashes or spaces) in its one stored form; null when it cannot be one.</summary>
    public static string? NormaliseEnrolmentCode(string? code)
    {
        if (code is null || code.Length > 64)
        {
            return null;
        }

        var compact = code.Replace("-", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal).Trim();
        return compact.Length == EnrolmentCodeLength ? Base32.Normalise(compact) : null;
    }

    /// <summary>What is stored of an enrolment code: its SHA-256 (the code has 100 random bits, so no salt is needed).</summary>
    public static string HashEnrolmentCode(string normalisedCode) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("esafe-enrolment-code\n" + normalisedCode)));

    /// <summary>About 100 random bits: four groups of five lower-case base32 characters.</summary>
    /// <summary>A sortable ID for jobs and proposals, made like an incident ID.</summary>
    public static string NewRecordId(DateTimeOffset at) => Incidents.IncidentId.New(at);

    public static string NewPassword() => Base32.Group(Base32.Random(20, lowerCase: true), 5);

    /// <summary>A device token, <c>&lt;deviceId&gt;.&lt;secret&gt;</c> with 32 random bytes of secret, and the hash that is stored.</summary>
    public static (string Token, byte[] Hash) NewDeviceToken(string deviceId)
    {
        var secret = RandomNumberGenerator.GetBytes(32);
        var token = deviceId + "." + Base64Url.EncodeToString(secret);
        CryptographicOperations.ZeroMemory(secret);
        return (token, HashDeviceToken(token));
    }

    public static byte[] HashDeviceToken(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    /// <summary>The device ID a token names, or null when the token is not of the form the server issues.</summary>
    public static string? DeviceIdOf(string? token)
    {
        if (token is null || token.Length > 256)
        {
            return null;
        }

        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot == token.Length - 1)
        {
            return null;
        }

        var deviceId = token[..dot];
        return deviceId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') ? deviceId : null;
    }

    /// <summary>Compares a presented token with a stored hash in constant time.</summary>
    public static bool DeviceTokenMatches(string token, ReadOnlySpan<byte> storedHash) =>
        CryptographicOperations.FixedTimeEquals(HashDeviceToken(token), storedHash);
}
