using System.Net;
using System.Net.Http.Headers;
using eSafe.Contracts.Http;
using eSafe.Incidents;
using Refit;

namespace eSafe.Host.Delivery;

/// <summary>
/// Sends what waits in the outbox to the server, oldest first, and removes each incident only once the
/// server has acknowledged it. Backs off while the server cannot be reached. Only a refusal that can never
/// pass (the incident itself is invalid) moves an incident to <c>rejected/</c>; one that may pass later
/// (a clock the server thinks is fast, a server fault) keeps it in the outbox to be tried again. A version 2 incident that
/// a server without version 2 refuses (400 for a body that is not its JSON, or 415) is kept too, and
/// <paramref name="serverWithoutBinary"/> is told, so that new incidents are sealed as version 1 until the server says otherwise.
/// </summary>
public sealed class OutboxUploader(FileOutbox outbox, IDeviceApi api, string deviceToken, HostLog log, TimeProvider? clock = null,
    Action? serverWithoutBinary = null)
{
    private static readonly TimeSpan FirstBackOff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxBackOff = TimeSpan.FromMinutes(5);
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    // Incidents the server refused for now, for a reason of their own: when each may be tried again.
    private readonly Dictionary<string, (DateTimeOffset NotBefore, TimeSpan BackOff)> _heldBack = new(StringComparer.Ordinal);
    private TimeSpan _backOff = FirstBackOff;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var delivered = await DeliverPendingAsync(cancellationToken);
                var wait = delivered ? TimeSpan.FromMinutes(1) : _backOff;
                if (NextHeldBack() is { } next && next < wait)
                {
                    wait = next;
                }

                await outbox.WaitForAdditionAsync(wait, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: what was not delivered stays in the outbox.
        }
    }

    /// <summary>One pass over the outbox; true when nothing was left for want of a server (held-back incidents aside).</summary>
    public async Task<bool> DeliverPendingAsync(CancellationToken cancellationToken)
    {
        var pending = outbox.Pending();
        foreach (var gone in _heldBack.Keys.Except(pending, StringComparer.Ordinal).ToList())
        {
            _heldBack.Remove(gone);
        }

        foreach (var id in pending)
        {
            if (_heldBack.TryGetValue(id, out var held) && held.NotBefore > _clock.GetUtcNow())
            {
                continue;
            }

            try
            {
                if (!await DeliverAsync(id, cancellationToken))
                {
                    return false;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The outbox itself failed (a full disk, a folder made read-only): try again later, never crash.
                log.Error($"the outbox cannot be used for incident {id}: {e.Message}; trying again in {_backOff.TotalSeconds:0} s");
                BackOff();
                return false;
            }
        }

        return true;
    }

    /// <summary>False when the server cannot take anything now: the pass stops.</summary>
    private async Task<bool> DeliverAsync(string id, CancellationToken cancellationToken)
    {
        var incident = outbox.Read(id, out var damage);
        if (incident is null)
        {
            if (damage is not null)
            {
                log.Error($"outbox file {id}.json is damaged ({damage}); moved to {outbox.DamagedDirectory}");
            }

            return true;
        }

        try
        {
            var receipt = await UploadAsync(incident, cancellationToken);
            outbox.Remove(id);
            _heldBack.Remove(id);
            log.Info($"incident {id} delivered{(receipt.Duplicate ? " (server had it already)" : "")}");
            _backOff = FirstBackOff;
            return true;
        }
        catch (ApiException e) when (incident.Version == IncidentSealer.BinaryVersion && ServerLacksBinary(e))
        {
            serverWithoutBinary?.Invoke();
            var backOff = _heldBack.TryGetValue(id, out var held) ? Double(held.BackOff) : FirstBackOff;
            _heldBack[id] = (_clock.GetUtcNow() + backOff, backOff);
            log.Error($"incident {id} is sealed as version 2, which the server does not take ({(int)e.StatusCode}); kept for when it does, "
                      + $"trying again in {backOff.TotalSeconds:0} s; new incidents are sealed as version 1");
            return true;
        }
        catch (ApiException e) when (Classify(e) == Refusal.Final)
        {
            var reason = $"{(int)e.StatusCode} {e.StatusCode}: {e.Content}";
            outbox.Reject(id, reason);
            _heldBack.Remove(id);
            log.Error($"incident {id} refused by the server; kept in {outbox.RejectedDirectory}: {reason}");
            return true;
        }
        catch (ApiException e) when (Classify(e) == Refusal.ThisOneForNow)
        {
            var backOff = _heldBack.TryGetValue(id, out var held) ? Double(held.BackOff) : FirstBackOff;
            _heldBack[id] = (_clock.GetUtcNow() + backOff, backOff);
            log.Error($"incident {id} refused for now ({(int)e.StatusCode}: {e.Content}); kept, trying again in {backOff.TotalSeconds:0} s");
            return true;
        }
        // A refused connection as the host stops is still only "not yet", not a crash; only our own cancellation ends the loop.
        catch (Exception e) when (e is ApiExceptionBase or HttpRequestException
                                  || e is TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            log.Error($"cannot deliver incident {id} yet: {e.Message}; trying again in {_backOff.TotalSeconds:0} s");
            BackOff();
            return false;
        }
    }

    private async Task<IngestReceipt> UploadAsync(SealedIncident incident, CancellationToken cancellationToken)
    {
        if (incident.Version != IncidentSealer.BinaryVersion)
        {
            return await api.UploadIncidentAsync(incident, deviceToken, cancellationToken);
        }

        using var content = new ByteArrayContent(BinaryEnvelope.Encode(incident));
        content.Headers.ContentType = new MediaTypeHeaderValue(BinaryEnvelope.MediaType);
        return await api.UploadBinaryIncidentAsync(content, deviceToken, cancellationToken);
    }

    // A server older than version 2 reads every body as version 1's JSON: the binary body is "not the JSON object expected".
    private static bool ServerLacksBinary(ApiException e) =>
        e.StatusCode == HttpStatusCode.UnsupportedMediaType
        || e.StatusCode == HttpStatusCode.BadRequest && e.Content is { } content && content.Contains("not the JSON object expected", StringComparison.Ordinal);

    private enum Refusal
    {
        /// <summary>The incident itself is invalid: it will be refused whenever it is sent.</summary>
        Final,

        /// <summary>This incident, for a reason that may pass (a device clock the server thinks fast): skip it for a while.</summary>
        ThisOneForNow,

        /// <summary>The server cannot take anything now (down, overloaded, the device not recognised).</summary>
        Everything,
    }

    private static Refusal Classify(ApiException e) => e.StatusCode switch
    {
        HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity when AboutTime(e.Content) => Refusal.ThisOneForNow,
        HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity or HttpStatusCode.RequestEntityTooLarge
            or HttpStatusCode.Forbidden or HttpStatusCode.Conflict => Refusal.Final,
        HttpStatusCode.Unauthorized or HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests => Refusal.Everything,
        >= HttpStatusCode.InternalServerError => Refusal.Everything,
        _ => Refusal.ThisOneForNow,
    };

    // A time the server found in the future is the device's clock or the server's, not the incident: both get fixed.
    private static bool AboutTime(string? content) =>
        content is not null && content.Contains("occurredAt", StringComparison.OrdinalIgnoreCase);

    private TimeSpan? NextHeldBack() =>
        _heldBack.Count == 0 ? null : _heldBack.Values.Min(h => h.NotBefore) - _clock.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero;

    private void BackOff() => _backOff = Double(_backOff);

    private static TimeSpan Double(TimeSpan backOff) => TimeSpan.FromTicks(Math.Min(backOff.Ticks * 2, MaxBackOff.Ticks));
}
