using System.Net;
using eSafe.Contracts.Http;
using Refit;

namespace eSafe.Host.Delivery;

/// <summary>
/// Sends what waits in the outbox to the server, oldest first, and removes each incident only once the
/// server has acknowledged it. Backs off while the server cannot be reached.
/// </summary>
public sealed class OutboxUploader(FileOutbox outbox, IDeviceApi api, string deviceToken, HostLog log)
{
    private static readonly TimeSpan MaxBackOff = TimeSpan.FromMinutes(5);
    private TimeSpan _backOff = TimeSpan.FromSeconds(1);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var delivered = await DeliverPendingAsync(cancellationToken);
                await outbox.WaitForAdditionAsync(delivered ? TimeSpan.FromMinutes(1) : _backOff, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: what was not delivered stays in the outbox.
        }
    }

    /// <summary>One pass over the outbox; true when it is empty afterwards.</summary>
    public async Task<bool> DeliverPendingAsync(CancellationToken cancellationToken)
    {
        foreach (var id in outbox.Pending())
        {
            var incident = outbox.Read(id);
            if (incident is null)
            {
                continue;
            }

            try
            {
                var receipt = await api.UploadIncidentAsync(incident, deviceToken, cancellationToken);
                outbox.Remove(id);
                log.Info($"incident {id} delivered{(receipt.Duplicate ? " (server had it already)" : "")}");
                _backOff = TimeSpan.FromSeconds(1);
            }
            catch (ApiException e) when (IsFinalRefusal(e.StatusCode))
            {
                outbox.Reject(id);
                log.Error($"incident {id} refused by the server ({(int)e.StatusCode}); kept in {outbox.RejectedDirectory}: {e.Content}");
            }
            catch (Exception e) when (e is ApiExceptionBase or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                log.Error($"cannot deliver incident {id} yet: {e.Message}; trying again in {_backOff.TotalSeconds:0} s");
                _backOff = TimeSpan.FromTicks(Math.Min(_backOff.Ticks * 2, MaxBackOff.Ticks));
                return false;
            }
        }

        return true;
    }

    // The server will never take these as they are; retrying would block the queue behind them.
    private static bool IsFinalRefusal(HttpStatusCode status) =>
        status is HttpStatusCode.BadRequest or HttpStatusCode.Forbidden or HttpStatusCode.RequestEntityTooLarge
            or HttpStatusCode.Conflict or HttpStatusCode.UnprocessableEntity;
}
