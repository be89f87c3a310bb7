using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using eSafe.Contracts;
using eSafe.Contracts.Http;
using eSafe.Incidents;
using eSafe.Server.Tests.Support;

namespace eSafe.IngestLoad;

/// <summary>
/// What a host uploads: a new incident with a 100 KB screenshot, sealed to the server's key, posted with the device's token;
/// as version 2's binary body (the default, what hosts send now) or version 1's JSON (<paramref name="binary"/> false). Each
/// is sealed as it is sent, unless <see cref="Preseal"/> sealed a device's incidents before the clock started: a real device
/// seals on its own CPU, so then the generator only sends.
/// </summary>
public sealed class SealedIncidents(bool binary = true) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = 256 });
    private readonly byte[] _screenshot = TestIncidents.NewJpeg(100 * 1024);
    private readonly ConcurrentDictionary<string, ConcurrentQueue<SealedBody>> _presealed = new(StringComparer.Ordinal);
    private int _sealedLive;

    /// <summary>A body ready to post and its media type.</summary>
    public sealed record SealedBody(byte[] Bytes, string MediaType);

    /// <summary>Incidents sealed as they were sent because a device's pre-sealed ones ran out (a rate above the bound given).</summary>
    public int SealedLive => _sealedLive;

    /// <summary>Seals <paramref name="perDevice"/> incidents for each device now (on every core); returns the bytes they hold.</summary>
    public long Preseal(IReadOnlyList<EnrolmentResponse> devices, int perDevice)
    {
        long bytes = 0;
        Parallel.ForEach(devices, device =>
        {
            var queue = new ConcurrentQueue<SealedBody>();
            long mine = 0;
            for (var i = 0; i < perDevice; i++)
            {
                var body = Seal(device);
                mine += body.Bytes.Length;
                queue.Enqueue(body);
            }

            _presealed[device.DeviceToken] = queue;
            Interlocked.Add(ref bytes, mine);
        });
        return bytes;
    }

    /// <summary>One incident, pre-sealed or sealed now; true on the server's 200.</summary>
    public async Task<bool> SendAsync(Uri server, EnrolmentResponse device)
    {
        SealedBody? body = null;
        if (_presealed.TryGetValue(device.DeviceToken, out var queue) && !queue.TryDequeue(out body))
        {
            Interlocked.Increment(ref _sealedLive);
        }

        body ??= Seal(device);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server, "/api/v1/devices/incidents"))
        {
            Content = new ByteArrayContent(body.Bytes) { Headers = { ContentType = new MediaTypeHeaderValue(body.MediaType) } },
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", device.DeviceToken);
        using var response = await _http.SendAsync(request);
        return response.IsSuccessStatusCode;
    }

    private SealedBody Seal(EnrolmentResponse device)
    {
        var incident = TestIncidents.New(device, DateTimeOffset.UtcNow.AddSeconds(-2), screenshot: false)
            with { Screenshot = _screenshot, ScreenshotMissingReason = null };
        return binary
            ? new SealedBody(BinaryEnvelope.Encode(TestIncidents.SealBinary(incident, device.ServerKey)), BinaryEnvelope.MediaType)
            : new SealedBody(JsonSerializer.SerializeToUtf8Bytes(TestIncidents.Seal(incident, device.ServerKey), ContractsJson.Default.SealedIncident),
                "application/json");
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
}
