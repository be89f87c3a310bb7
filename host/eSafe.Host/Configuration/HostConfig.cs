using System.Text.Json.Serialization;

namespace eSafe.Host.Configuration;

/// <summary>What an admin sets at install: which server, and the school's enrolment code.</summary>
public sealed record HostConfig(Uri ServerUrl, string? EnrolmentCode);

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
