using System.Net;
using System.Net.ServerSentEvents;
using System.Text.Json;
using System.Threading.Channels;

namespace eSafe.Server.Tests.Support;

/// <summary>A console's live stream (<c>GET /api/v1/live</c>) read as a browser's EventSource would, its events queued for a test.</summary>
public sealed class LiveListener : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<SseItem<string>> _events = Channel.CreateUnbounded<SseItem<string>>();
    private Task _reading = Task.CompletedTask;

    private LiveListener(HttpClient http) => _http = http;

    /// <summary>The headers the stream was opened with (behind a proxy: which server took it).</summary>
    public System.Net.Http.Headers.HttpResponseHeaders? Headers { get; private set; }

    /// <summary>Opens the stream with the session in <paramref name="cookies"/> and waits for its <c>ready</c> event.</summary>
    public static async Task<LiveListener> StartAsync(Uri baseAddress, CookieContainer cookies)
    {
        var listener = new LiveListener(new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan });
        var response = await listener._http.GetAsync("/api/v1/live", HttpCompletionOption.ResponseHeadersRead);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/event-stream");
        listener.Headers = response.Headers;
        listener._reading = listener.ReadAsync(response);
        (await listener.NextAsync(TimeSpan.FromSeconds(10), "ready")).Should().NotBeNull("the stream says when it listens");
        return listener;
    }

    /// <summary>The next <c>change</c> event within <paramref name="within"/> (pings skipped), or null when none came.</summary>
    public async Task<HeardChange?> NextChangeAsync(TimeSpan within)
    {
        var item = await NextAsync(within, "change");
        if (item is null)
        {
            return null;
        }

        using var json = JsonDocument.Parse(item.Value.Data);
        var fields = json.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
        return new HeardChange(fields.GetValueOrDefault("schoolId"), fields.GetValueOrDefault("kind"), fields.GetValueOrDefault("incidentId"), [.. fields.Keys]);
    }

    /// <summary>The next event of one of <paramref name="types"/> within <paramref name="within"/>, skipping others; null when none came.</summary>
    public async Task<SseItem<string>?> NextAsync(TimeSpan within, params string[] types)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            while (true)
            {
                var item = await _events.Reader.ReadAsync(timeout.Token);
                if (types.Contains(item.EventType))
                {
                    return item;
                }
            }
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        catch (ChannelClosedException)
        {
            return null;
        }
    }

    private async Task ReadAsync(HttpResponseMessage response)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(_stop.Token);
            await foreach (var item in SseParser.Create(stream).EnumerateAsync(_stop.Token))
            {
                await _events.Writer.WriteAsync(item);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException)
        {
        }
        finally
        {
            response.Dispose();
            _events.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _reading;
        _http.Dispose();
        _stop.Dispose();
    }
}

/// <summary>A <c>change</c> event's fields, and the names of all it carried (to show it holds nothing else).</summary>
public sealed record HeardChange(string? SchoolId, string? Kind, string? IncidentId, IReadOnlyList<string> Fields);
