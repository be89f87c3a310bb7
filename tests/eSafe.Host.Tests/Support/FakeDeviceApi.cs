using System.Net;
using eSafe.Contracts;
using eSafe.Contracts.Http;
using eSafe.Incidents;
using Refit;

namespace eSafe.Host.Tests.Support;

/// <summary>The server's device API as a test scripts it: each upload answered by the next rule that fits.</summary>
internal sealed class FakeDeviceApi : IDeviceApi
{
    private readonly Dictionary<string, Func<SealedIncident, Task<IngestReceipt>>> _answers = new(StringComparer.Ordinal);

    public List<(string IncidentId, string Token)> Uploads { get; } = [];

    /// <summary>The answer for incidents not named by <see cref="Answer"/>: delivered, not a duplicate.</summary>
    public Func<SealedIncident, Task<IngestReceipt>> Otherwise { get; set; } = i => Task.FromResult(new IngestReceipt(i.IncidentId, false));

    public FakeDeviceApi Answer(string incidentId, Func<SealedIncident, Task<IngestReceipt>> answer)
    {
        _answers[incidentId] = answer;
        return this;
    }

    public Task<EnrolmentResponse> EnrolAsync(EnrolmentRequest request, CancellationToken cancellationToken) =>
        throw new NotSupportedException("the uploader never enrols");

    public Task<IngestReceipt> UploadIncidentAsync(SealedIncident incident, string deviceToken, CancellationToken cancellationToken)
    {
        Uploads.Add((incident.IncidentId, deviceToken));
        return _answers.TryGetValue(incident.IncidentId, out var answer) ? answer(incident) : Otherwise(incident);
    }

    /// <summary>The media type each binary upload came with, by incident ID.</summary>
    public Dictionary<string, string?> BinaryUploads { get; } = new(StringComparer.Ordinal);

    public async Task<IngestReceipt> UploadBinaryIncidentAsync(HttpContent envelope, string deviceToken, CancellationToken cancellationToken)
    {
        var body = await envelope.ReadAsByteArrayAsync(cancellationToken);
        var incident = BinaryEnvelope.Parse(body, body.Length, out var problem)?.ToSealedIncident()
            ?? throw new InvalidOperationException($"the host sent a malformed binary envelope: {problem}");
        BinaryUploads[incident.IncidentId] = envelope.Headers.ContentType?.MediaType;
        return await UploadIncidentAsync(incident, deviceToken, cancellationToken);
    }

    /// <summary>What asking for the library versions does; unset, the fake is only for uploads.</summary>
    public Func<Task<LibraryVersions>> LibraryVersions { get; set; } = () => throw new NotSupportedException("the uploader never asks for libraries");

    /// <summary>What sending a heartbeat does; unset, the fake is only for uploads.</summary>
    public Func<Task<HeartbeatReceipt>> Heartbeat { get; set; } = () => throw new NotSupportedException("the uploader never sends heartbeats");

    public Task<LibraryVersions> GetLibraryVersionsAsync(string deviceToken, CancellationToken cancellationToken) => LibraryVersions();

    public Task<HttpResponseMessage> DownloadGlobalLibraryAsync(string deviceToken, string? ifNoneMatch, CancellationToken cancellationToken) =>
        throw new NotSupportedException("the uploader never asks for libraries");

    public Task<HttpResponseMessage> DownloadSchoolLayerAsync(string deviceToken, string? ifNoneMatch, CancellationToken cancellationToken) =>
        throw new NotSupportedException("the uploader never asks for libraries");

    public Task<HeartbeatReceipt> SendHeartbeatAsync(HeartbeatRequest heartbeat, string deviceToken, CancellationToken cancellationToken) =>
        Heartbeat();

    /// <summary>The exception Refit throws for a response with this status.</summary>
    public static async Task<IngestReceipt> Refuse(HttpStatusCode status, string body = """{"title":"refused"}""")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://esafe.example.org/api/v1/incidents");
        using var response = new HttpResponseMessage(status) { Content = new StringContent(body), RequestMessage = request };
        throw await ApiException.Create(request, HttpMethod.Post, response, ContractsJson.RefitSettings());
    }
}
