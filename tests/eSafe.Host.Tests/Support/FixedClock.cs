namespace eSafe.Host.Tests.Support;

/// <summary>A clock that always says the same time (timers still run in real time).</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
