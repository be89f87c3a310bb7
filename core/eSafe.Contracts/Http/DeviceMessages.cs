using eSafe.Incidents;

namespace eSafe.Contracts.Http;

/// <summary>A device asks to join a school with the code the school's admin was given.</summary>
public sealed record EnrolmentRequest(string EnrolmentCode, string MachineName, string HostVersion);

/// <summary>
/// What an enrolled device needs: its identity, the token it authenticates with and the key it seals
/// incidents to. The key behind pupils' user IDs is the school's alone and never comes from the server.
/// </summary>
public sealed record EnrolmentResponse(
    string SchoolId,
    string DeviceId,
    string DeviceToken,
    ServerSealingKey ServerKey);

/// <summary>The server has the incident (now, or already before: <see cref="Duplicate"/>).</summary>
public sealed record IngestReceipt(string IncidentId, bool Duplicate);
