using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using eSafe.Contracts;
using eSafe.Contracts.Http;
using eSafe.Incidents;

namespace eSafe.DirectLoad;

/// <summary>
/// What a Chromebook's extension sends in direct mode, sealed as it seals it: each device through its own sealing session
/// (one ephemeral key for up to 4,096 envelopes or 10 minutes, as extension/background/envelope.js does), or with
/// <paramref name="oneUseKeys"/> a new ephemeral key for every envelope, as extensions before sealing sessions did.
/// </summary>
public sealed class DirectClient(Uri server, bool oneUseKeys) : IDisposable
{
    // Ordinary chat, about 2 KB of UTF-8 in two events: no threat phrase, so nothing but the scan happens.
    private static readonly string Harmless = string.Concat(Enumerable.Repeat("see you at football practice after school, bring the kit and the map for the trip. ", 12));
    private static readonly string UserId = PseudonymousId.Compute(RandomNumberGenerator.GetBytes(32), "pupil@school.example");
    private readonly HttpClient _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = server };
    private readonly byte[] _screenshot = Jpeg(150 * 1024);
    private readonly ConcurrentDictionary<string, SealingSession> _sessions = new(StringComparer.Ordinal);

    /// <summary>One 2 KB batch; true when the server acked every event.</summary>
    public async Task<bool> SendTextAsync(EnrolmentResponse device)
    {
        var reply = await SendBatchAsync(device, [Event(Harmless[..(Harmless.Length / 2)]), Event(Harmless[(Harmless.Length / 2)..])]);
        return reply is { Acked.Count: 2 };
    }

    /// <summary>A threat in a new field, then its 150 KB screenshot: one stored incident.</summary>
    public async Task<bool> SendIncidentAsync(EnrolmentResponse device)
    {
        var reply = await SendBatchAsync(device, [Event("honestly i just want to kill myself tonight")]);
        if (reply?.Screenshots is not [var wanted])
        {
            return false;
        }

        var envelope = Seal(device, JsonSerializer.SerializeToUtf8Bytes(new DirectScreenshot(_screenshot, null), ContractsJson.Default.DirectScreenshot),
            wanted.IncidentId);
        using var response = await PostAsync(device, $"/api/v1/devices/direct/screenshots/{wanted.IncidentId}", envelope);
        return response.IsSuccessStatusCode;
    }

    public void Dispose()
    {
        _http.Dispose();
        foreach (var session in _sessions.Values)
        {
            session.Dispose();
        }
    }

    private SealedIncident Seal(EnrolmentResponse device, byte[] plaintext, string id) => oneUseKeys
        ? IncidentSealer.Seal(plaintext, id, device.ServerKey)
        : _sessions.GetOrAdd(device.DeviceToken, _ => new SealingSession(device.ServerKey, TimeProvider.System)).Seal(plaintext, id);

    private async Task<DirectBatchReply?> SendBatchAsync(EnrolmentResponse device, TextEvent[] events)
    {
        var batch = new DirectBatch(UserId, "0.1.0", events);
        var envelope = Seal(device, JsonSerializer.SerializeToUtf8Bytes(batch, ContractsJson.Default.DirectBatch), IncidentId.New(DateTimeOffset.UtcNow));
        using var response = await PostAsync(device, "/api/v1/devices/direct/batches", envelope);
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync(ContractsJson.Default.DirectBatchReply) : null;
    }

    private async Task<HttpResponseMessage> PostAsync(EnrolmentResponse device, string path, SealedIncident envelope)
    {
        // With its length, as the extension's fetch sends it (JsonContent would stream it chunked, which costs the server more).
        var body = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(envelope, ContractsJson.Default.SealedIncident));
        body.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = body };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", device.DeviceToken);
        return await _http.SendAsync(request);
    }

    private static TextEvent Event(string text) => new(Guid.NewGuid().ToString("N"), 3, Guid.NewGuid().ToString("N"), TextSources.Typed,
        "https://chat.example.org/room", "Class chat", text, DateTimeOffset.UtcNow.AddSeconds(-1), 0);

    // A JPEG's start (FF D8 FF) and random filler: the server checks the signature and the size, not the picture.
    private static byte[] Jpeg(int size)
    {
        var bytes = RandomNumberGenerator.GetBytes(size);
        bytes[0] = 0xFF;
        bytes[1] = 0xD8;
        bytes[2] = 0xFF;
        return bytes;
    }
}
