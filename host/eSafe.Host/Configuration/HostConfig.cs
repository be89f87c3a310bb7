using System.Text.Json.Serialization;

namespace eSafe.Host.Configuration;

/// <summary>What an admin sets at install: which server, the school's enrolment code, and the server's pinned keys.</summary>
/// <param name="PinSha256">Base64 SHA-256 of the server's SubjectPublicKeyInfo; any one of them must match (several: for rotation).</param>
public sealed record HostConfig(Uri ServerUrl, string? EnrolmentCode, IReadOnlyList<string>? PinSha256 = null)
{
    /// <summary>The pins as bytes; a pin that is not one is refused at install, and ignored here.</summary>
    public IReadOnlyList<byte[]> Pins() => [.. (PinSha256 ?? []).Select(eSafe.Host.Delivery.ServerTransport.ParsePin).OfType<byte[]>()];
}

/// <summary>What the server gave this device at enrolment. Secret: readable by its user only.</summary>
public sealed record EnrolmentState(
    Uri ServerUrl,
    string SchoolId,
    string DeviceId,
    string DeviceToken,
    string ServerKeyId,
    byte[] ServerPublicKey,
    byte[] UserIdKey);

[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(HostConfig))]
[JsonSerializable(typeof(EnrolmentState))]
internal sealed partial class HostJson : JsonSerializerContext;
