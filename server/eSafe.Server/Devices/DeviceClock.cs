namespace eSafe.Server.Devices;

/// <summary>
/// A device's clock is believed only as far as it can be: the server keeps its own receipt time beside the
/// device's claimed time and flags an incident whose device time cannot be right (ahead of the server by more
/// than <see cref="Tolerance"/>, or before 2020), instead of refusing it: a refused incident would be lost.
/// </summary>
public static class DeviceClock
{
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(10);
    private static readonly DateTimeOffset Earliest = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The device's time minus the server's receipt time, in whole seconds, when the device's time cannot be right; otherwise null.</summary>
    public static long? SuspectSkewSeconds(DateTimeOffset deviceTime, DateTimeOffset receivedAt) =>
        deviceTime > receivedAt + Tolerance || deviceTime < Earliest
            ? (long)Math.Round((deviceTime - receivedAt).TotalSeconds, MidpointRounding.AwayFromZero)
            : null;
}
