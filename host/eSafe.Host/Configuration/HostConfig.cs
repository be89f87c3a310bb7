using System.Text.Json.Serialization;

namespace eSafe.Host.Configuration;

/// <summary>What an admin sets at install: which server, the school's enrolment code, the server's pinned keys and the school's user-ID key.</summary>
/// <param name="PinSha256">Base64 SHA-256 of the server's SubjectPublicKeyInfo; any one of them must match (several: for rotation).</param>
/// <param name="UserIdKey">The school's user-ID key in base64 (from its key file); the server never has it.</param>
public sealed record HostConfig(Uri ServerUrl, string? EnrolmentCode, IReadOnlyList<string>? PinSha256 = null, string? UserIdKey = null)
{
    /// <summary>The pins as bytes; a pin that is not one is refused at install, and ignored here.</summary>
    public IReadOnlyList<byte[]> Pins() => [.. (PinSha256 ?? []).Select(eSafe.Host.Delivery.ServerTransport.ParsePin).OfType<byte[]>()];
}

/// <summary>What the server gave this device at enrolment. Secret: readable by its user only. (A file from before
/// the school held its own key may still hold the server's old userIdKey: it is ignored.)</summary>
/// <param name="EnvelopeVersion">The envelope version new incidents are sealed as: 2 once the server has said it opens it, else 1
/// (files from before version 2 have none: 1).</param>
public sealed record EnrolmentState(
    Uri ServerUrl,
    string SchoolId,
    string DeviceId,
    string DeviceToken,
    string ServerKeyId,
    byte[] ServerPublicKey,
    int EnvelopeVersion = 1);

[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(HostConfig))]
[JsonSerializable(typeof(EnrolmentState))]
internal sealed partial class HostJson : JsonSerializerContext;
