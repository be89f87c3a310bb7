using System.Collections.Concurrent;
using eSafe.Server.Storage;

namespace eSafe.Server.Devices;

/// <summary>
/// The device records this process read lately, so that a Chromebook's next batch (one every few seconds) costs no store
/// read. Safe with any number of server processes: the store's count of revoked devices (one small read a process,
/// whatever the number of devices) is read again when the last reading is older than <see cref="RevocationBound"/>, and
/// when it has grown every record kept is dropped. A revocation made by any process is therefore refused by every process
/// within that bound (docs/SECURITY.md); one made by this process at once (<see cref="Forget"/>).
/// </summary>
public sealed class AuthenticatedDevices(IDeviceStore devices, TimeProvider clock) : IDisposable
{
    public static readonly TimeSpan RevocationBound = TimeSpan.FromSeconds(2);

    /// <summary>A record is read again after this long even when nothing was revoked; also what keeps memory bounded.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(10);

    private const int MaxKept = 200_000;
    private readonly ConcurrentDictionary<string, Kept> _kept = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _checking = new(1, 1);
    private long _generation;
    private long _revokedCount = -1;
    private long _checkStartedAt = long.MinValue;
    private long _sweptAt;

    /// <summary>The device as stored (revoked or not), or null when unknown; from memory while nothing was revoked.</summary>
    public async Task<DeviceRecord?> GetAsync(string deviceId, CancellationToken cancellationToken)
    {
        await CheckRevocationsAsync(cancellationToken);
        // Read before the store: a record read while a revocation lands carries the old generation, which the check drops.
        var generation = Interlocked.Read(ref _generation);
        if (_kept.TryGetValue(deviceId, out var kept) && kept.Generation == generation && clock.GetElapsedTime(kept.ReadAt) < MaxAge)
        {
            return kept.Device;
        }

        var device = await devices.GetAsync(deviceId, cancellationToken);
        if (device is { Revoked: null })
        {
            if (_kept.Count >= MaxKept)
            {
                _kept.Clear();
            }

            _kept[deviceId] = new Kept(device, generation, clock.GetTimestamp());
        }
        else
        {
            _kept.TryRemove(deviceId, out _);
        }

        return device;
    }

    /// <summary>Drops a device this process has just revoked, so that its next request here is refused at once.</summary>
    public void Forget(string deviceId) => _kept.TryRemove(deviceId, out _);

    public void Dispose() => _checking.Dispose();

    private async Task CheckRevocationsAsync(CancellationToken cancellationToken)
    {
        if (IsFresh())
        {
            return;
        }

        // One reading at a time; the requests waiting meanwhile use its answer.
        await _checking.WaitAsync(cancellationToken);
        try
        {
            if (IsFresh())
            {
                return;
            }

            // The bound counts from when the reading starts: what was revoked before then is in its answer.
            var startedAt = clock.GetTimestamp();
            var count = await devices.RevokedCountAsync(cancellationToken);
            if (count != Interlocked.Read(ref _revokedCount))
            {
                Interlocked.Increment(ref _generation);
                _kept.Clear();
                Interlocked.Exchange(ref _revokedCount, count);
            }

            Interlocked.Exchange(ref _checkStartedAt, startedAt);
            SweepOld(startedAt);
        }
        finally
        {
            _checking.Release();
        }
    }

    private bool IsFresh()
    {
        var startedAt = Interlocked.Read(ref _checkStartedAt);
        return startedAt != long.MinValue && clock.GetElapsedTime(startedAt) < RevocationBound;
    }

    private void SweepOld(long now)
    {
        if (clock.GetElapsedTime(Interlocked.Read(ref _sweptAt), now) < TimeSpan.FromMinutes(1))
        {
            return;
        }

        Interlocked.Exchange(ref _sweptAt, now);
        foreach (var (id, kept) in _kept)
        {
            if (clock.GetElapsedTime(kept.ReadAt, now) >= MaxAge)
            {
                _kept.TryRemove(new KeyValuePair<string, Kept>(id, kept));
            }
        }
    }

    private sealed record Kept(DeviceRecord Device, long Generation, long ReadAt);
}
