using System.Collections.Concurrent;
using eSafe.Contracts.Native;
using eSafe.Host.Messaging;
using eSafe.Incidents.Pipeline;

namespace eSafe.Host.Session;

/// <summary>Asks the extension for a screenshot over the native port and waits for its reply.</summary>
public sealed class NativeScreenshotSource(NativeChannel channel) : IScreenshotSource
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<CaptureReply>> _waiting = new(StringComparer.Ordinal);

    public async Task<ScreenshotResult> CaptureAsync(int tabId, CancellationToken cancellationToken)
    {
        var requestId = Guid.NewGuid().ToString("N");
        var reply = new TaskCompletionSource<CaptureReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting[requestId] = reply;
        try
        {
            await channel.SendAsync(new CaptureRequest(requestId, tabId), cancellationToken);
            var answer = await reply.Task.WaitAsync(cancellationToken);
            return answer.Jpeg is { Length: > 0 } jpeg
                ? new ScreenshotResult(jpeg, null)
                : ScreenshotResult.Missing(answer.Error ?? "the browser sent no image");
        }
        finally
        {
            _waiting.TryRemove(requestId, out _);
        }
    }

    /// <summary>Hands a reply to whoever asked; a reply nobody waits for is dropped.</summary>
    public bool Complete(CaptureReply reply) =>
        _waiting.TryGetValue(reply.RequestId, out var waiting) && waiting.TrySetResult(reply);

    /// <summary>The browser has gone: nobody will answer.</summary>
    public void FailAll(string reason)
    {
        foreach (var waiting in _waiting.Values)
        {
            waiting.TrySetResult(new CaptureReply("", null, reason));
        }
    }
}
