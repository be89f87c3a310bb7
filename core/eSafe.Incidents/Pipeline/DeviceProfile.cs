namespace eSafe.Incidents.Pipeline;

/// <summary>What the device knows about itself once enrolled; the same for every incident it makes.</summary>
public sealed record DeviceProfile(
    string SchoolId,
    string DeviceId,
    string MachineName,
    string HostVersion,
    ServerSealingKey ServerKey);

/// <summary>Who is using the browser, as far as the service may know: the pseudonymous ID only.</summary>
public sealed record BrowserSession(string UserId, string? ExtensionVersion);
