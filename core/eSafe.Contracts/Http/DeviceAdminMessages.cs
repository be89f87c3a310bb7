namespace eSafe.Contracts.Http;

/// <summary>An enrolled device as the console and <c>esafe-server device list</c> show it.</summary>
public sealed record DeviceInfo(
    string Id,
    string SchoolId,
    string MachineName,
    string HostVersion,
    DateTimeOffset EnrolledAt,
    string? EnrolledFrom,
    DateTimeOffset? RevokedAt,
    string? RevokedBy,
    string? RevokedReason);

/// <summary>Why a device is revoked (optional, at most 200 characters).</summary>
public sealed record RevokeDeviceRequest(string? Reason);
