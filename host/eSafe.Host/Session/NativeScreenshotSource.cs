using System.Collections.Concurrent;
using eSafe.Contracts.Native;
using eSafe.Host.Messaging;
using eSafe.Incidents.Pipeline;

namespace eSafe.Host.Session;

/// <summary>Asks the extension for a screenshot over the native port and waits for its reply.</summary>
public sealed class NativeScreenshotSource(NativeChannel channel) : IScreenshotSource
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<CaptureReply>> _waiting = new(StringComparer.Ordinal);
    private volatile string? _goneBecause;

    public async Task<ScreenshotResult> CaptureAsync(ScreenshotRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var requestId = Guid.NewGuid().ToString("N");
        var reply = new TaskCompletionSource<CaptureReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting[requestId] = reply;
        try
        {
            // Checked after registering, so a FailAll running now either sees this request or is seen here.
            if (_goneBecause is { } gone)
            {
                return ScreenshotResult.Missing(gone);
            }

            await channel.SendAsync(new CaptureRequest(requestId, request.TabId), cancellationToken);
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

    /// <summary>The browser has gone: nobody will answer, now or later.</summary>
    public void FailAll(string reason)
    {
        _goneBecause = reason;
        foreach (var waiting in _waiting.Values)
        {
            waiting.TrySetResult(new CaptureReply("", null, reason));
        }
    }
}
