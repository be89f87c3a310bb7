using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using eSafe.Contracts;
using eSafe.Contracts.Http;
using eSafe.Detection;
using eSafe.Incidents;

namespace eSafe.IngestLoad;

/// <summary>What a host uploads: a new incident with a 100 KB screenshot, sealed to the server's key, posted with the device's token.</summary>
public sealed class SealedIncidents : IDisposable
{
    private static readonly ThreatEntry Rule = DefaultLibrary.Load().Entries.First(e => e.Category == "self-harm" && e.Severity == 4);
    private static readonly string UserId = PseudonymousId.Compute(RandomNumberGenerator.GetBytes(32), "pupil@school.example");
    private readonly HttpClient _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = 256 });
    private readonly byte[] _screenshot = Jpeg(100 * 1024);

    /// <summary>One incident, sealed now; true on the server's 200.</summary>
    public async Task<bool> SendAsync(Uri server, EnrolmentResponse device)
    {
        var at = DateTimeOffset.UtcNow.AddSeconds(-2);
        var incident = new Incident
        {
            Id = IncidentId.New(at),
            SchoolId = device.SchoolId,
            DeviceId = device.DeviceId,
            UserId = UserId,
            MachineName = "LAB-PC-07",
            DeviceAddresses = ["10.1.2.3"],
            OccurredAt = at,
            LocalOffsetMinutes = 0,
            Url = "https://chat.example.org/room/7",
            PageTitle = "Class chat",
            Source = TextSources.Typed,
            RuleId = Rule.Id,
            Phrase = Rule.Phrase,
            MatchedText = "hurt myself",
            Category = Rule.Category,
            Severity = Rule.Severity,
            Context = "honestly i want to hurt myself tonight, nobody would notice",
            Screenshot = _screenshot,
            HostVersion = "0.1.0",
            LibraryVersion = "2026.11.1",
            ExtensionVersion = "0.1.2",
        };
        var envelope = IncidentSealer.Seal(JsonSerializer.SerializeToUtf8Bytes(incident, IncidentJson.Default.Incident), incident.Id, device.ServerKey);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server, "/api/v1/devices/incidents"))
        {
            Content = JsonContent.Create(envelope, ContractsJson.Default.SealedIncident),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", device.DeviceToken);
        using var response = await _http.SendAsync(request);
        return response.IsSuccessStatusCode;
    }

    public async Task<IReadOnlyList<EnrolmentResponse>> EnrolAsync(Uri server, string code, int count)
    {
        List<EnrolmentResponse> devices = [];
        for (var i = 0; i < count; i++)
        {
            using var response = await _http.PostAsJsonAsync(new Uri(server, "/api/v1/devices/enrol"),
                new EnrolmentRequest(code, $"LOAD-{i:000}", "0.1.0"), ContractsJson.Default.EnrolmentRequest);
            response.EnsureSuccessStatusCode();
            devices.Add((await response.Content.ReadFromJsonAsync(ContractsJson.Default.EnrolmentResponse))!);
        }

        return devices;
    }

    public void Dispose() => _http.Dispose();

    // A JPEG's start and end markers around random bytes: the server checks the signature and the size, not the picture.
    private static byte[] Jpeg(int size)
    {
        var bytes = RandomNumberGenerator.GetBytes(size);
        bytes[0] = 0xFF;
        bytes[1] = 0xD8;
        bytes[2] = 0xFF;
        bytes[3] = 0xE0;
        bytes[^2] = 0xFF;
        bytes[^1] = 0xD9;
        return bytes;
    }
}
