using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using eSafe.Server.Analysts;
using eSafe.Server.Web;

namespace eSafe.Server.Live;

/// <summary>
/// <c>GET /api/v1/live</c>: Server-Sent Events telling a console user at once that something changed in a school they may
/// see (<c>change</c>: school, kind, maybe incident ID), <c>ready</c> when listening starts, <c>resync</c> when changes may
/// have been missed, <c>ping</c> now and then so proxies keep the stream open. A stream ends after a few minutes and the
/// browser opens it again, so a session that ended (logout, password reset) stops hearing within that time.
/// </summary>
public static class LiveEndpoints
{
    public static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan StreamLifetime = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan ReconnectAfter = TimeSpan.FromSeconds(2);

    public static RouteGroupBuilder MapLiveFeed(this RouteGroupBuilder console)
    {
        console.MapGet("/live", Listen);
        return console;
    }

    private static IResult Listen(HttpContext context, LiveSubscribers subscribers)
    {
        var user = ConsoleUser.From(context.User) ?? throw new InvalidOperationException("The console policy let in a request without a console user.");
        var subscription = subscribers.Subscribe(user.Scope);
        if (subscription is null)
        {
            return Problems.Status(StatusCodes.Status503ServiceUnavailable, "Too many listeners",
                "This server has as many live listeners as it keeps; the console falls back to polling.");
        }

        // Proxies (nginx) must pass each event on at once rather than buffer the stream.
        context.Response.Headers["X-Accel-Buffering"] = "no";
        return TypedResults.ServerSentEvents(Events(subscription, context.RequestAborted));
    }

    private static async IAsyncEnumerable<SseItem<string>> Events(LiveSubscription subscription, [EnumeratorCancellation] CancellationToken aborted)
    {
        using var _ = subscription;
        using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        lifetime.CancelAfter(StreamLifetime);
        yield return new SseItem<string>("{}", "ready") { ReconnectionInterval = ReconnectAfter };
        while (await NextAsync(subscription, lifetime.Token) is var (signal, open) && open)
        {
            yield return signal switch
            {
                null => new SseItem<string>("{}", "ping"),
                { Change: null } => new SseItem<string>("{}", "resync"),
                { Change: { } change } => new SseItem<string>(JsonSerializer.Serialize(change, LiveJson.Default.LiveChange), "change"),
            };
        }
    }

    // The next signal, null for a ping when none came for a while; open is false when the stream should end.
    private static async Task<(LiveSignal? Signal, bool Open)> NextAsync(LiveSubscription subscription, CancellationToken lifetime)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(lifetime);
        wait.CancelAfter(PingInterval);
        try
        {
            return await subscription.Signals.WaitToReadAsync(wait.Token) && subscription.Signals.TryRead(out var signal)
                ? (signal, true)
                : (null, false);
        }
        catch (OperationCanceledException) when (!lifetime.IsCancellationRequested)
        {
            return (null, true);
        }
        catch (OperationCanceledException)
        {
            return (null, false);
        }
    }
}
