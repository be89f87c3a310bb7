namespace eSafe.Server.Tests.Support;

/// <summary>A clock the test moves by hand (timers still run on real time), for lifetimes and windows of minutes or hours.</summary>
public sealed class MovableClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public MovableClock() : this(DateTimeOffset.UtcNow)
    {
    }

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
