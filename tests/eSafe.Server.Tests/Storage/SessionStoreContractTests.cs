using eSafe.Server.Storage;

namespace eSafe.Server.Tests.Storage;

/// <summary>Console sessions and failed-login counters: the same tests over LiteDB and PostgreSQL.</summary>
[TestFixtureSource(typeof(StoreKind), nameof(StoreKind.All))]
public sealed class SessionStoreContractTests(StoreKind kind)
{
    private static readonly DateTimeOffset At = new(2026, 11, 2, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan LockFor = TimeSpan.FromMinutes(30);
    private Stores _stores = null!;

    private ISessionStore Sessions => _stores.Get<ISessionStore>();
    private ILoginThrottleStore Throttle => _stores.Get<ILoginThrottleStore>();

    [SetUp]
    public async Task SetUp() => _stores = await kind.OpenAsync();

    [TearDown]
    public async Task TearDown() => await _stores.DisposeAsync();

    [Test]
    public async Task Sessions_are_kept_updated_and_ended_one_by_one_by_account_or_by_age()
    {
        var sam = new SessionRecord("s-1", "sam", [1, 2, 3], At, At);
        await Sessions.AddAsync(sam, CancellationToken.None);
        await Sessions.AddAsync(new SessionRecord("s-2", "Sam", [4], At, At.AddMinutes(50)), CancellationToken.None);
        await Sessions.AddAsync(new SessionRecord("s-3", "dee", [5], At.AddHours(-13), At.AddMinutes(55)), CancellationToken.None);
        await Sessions.AddAsync(new SessionRecord("s-4", "dee", [6], At.AddMinutes(40), At.AddMinutes(58)), CancellationToken.None);

        (await Sessions.GetAsync("s-1", CancellationToken.None)).Should().BeEquivalentTo(sam);
        (await Sessions.UpdateAsync(sam with { Ticket = [9, 9], LastSeenAt = At.AddMinutes(45) }, CancellationToken.None)).Should().BeTrue();
        (await Sessions.GetAsync("s-1", CancellationToken.None))!.Ticket.Should().Equal(9, 9);
        (await Sessions.UpdateAsync(sam with { Id = "s-9" }, CancellationToken.None)).Should().BeFalse();

        (await Sessions.RemoveExpiredAsync(At.AddMinutes(30), At.AddHours(-12), CancellationToken.None)).Should().Be(1, "s-3 started too long ago");
        (await Sessions.RemoveForAccountAsync("SAM", CancellationToken.None)).Should().Be(2);
        (await Sessions.GetAsync("s-2", CancellationToken.None)).Should().BeNull();
        await Sessions.RemoveAsync("s-4", CancellationToken.None);
        (await Sessions.GetAsync("s-4", CancellationToken.None)).Should().BeNull();
    }

    [Test]
    public async Task Failures_are_counted_in_a_window_and_lock_the_key_when_there_are_enough()
    {
        (await Throttle.AddFailureAsync("k", At, Window, 3, LockFor, CancellationToken.None)).Should().Be(new ThrottleCounter("k", 1, At, At, null));
        await Throttle.AddFailureAsync("k", At.AddMinutes(1), Window, 3, LockFor, CancellationToken.None);
        (await Throttle.AddFailureAsync("k", At.AddMinutes(2), Window, 3, LockFor, CancellationToken.None))
            .Should().Be(new ThrottleCounter("k", 0, At.AddMinutes(2), At.AddMinutes(2), At.AddMinutes(32)));
        (await Throttle.GetAsync("k", CancellationToken.None))!.LockedUntil.Should().Be(At.AddMinutes(32));

        (await Throttle.AddFailureAsync("w", At, Window, 3, LockFor, CancellationToken.None)).Failures.Should().Be(1);
        (await Throttle.AddFailureAsync("w", At.AddMinutes(20), Window, 3, LockFor, CancellationToken.None))
            .Should().Be(new ThrottleCounter("w", 1, At.AddMinutes(20), At.AddMinutes(20), null), "the window was over: the count starts again");

        (await Throttle.RemoveStaleAsync(At.AddMinutes(25), CancellationToken.None)).Should().Be(1, "w failed last at 20; k is locked past 25");
        (await Throttle.GetAsync("w", CancellationToken.None)).Should().BeNull();
        (await Throttle.RemoveStaleAsync(At.AddHours(1), CancellationToken.None)).Should().Be(1);
        await Throttle.AddFailureAsync("k", At, Window, 3, LockFor, CancellationToken.None);
        await Throttle.RemoveAsync("k", CancellationToken.None);
        (await Throttle.GetAsync("k", CancellationToken.None)).Should().BeNull();
    }

    [Test]
    public async Task Failures_counted_at_once_are_all_counted()
    {
        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => Throttle.AddFailureAsync("k", At, Window, 100, LockFor, CancellationToken.None))));
        (await Throttle.GetAsync("k", CancellationToken.None))!.Failures.Should().Be(16);
    }
}
