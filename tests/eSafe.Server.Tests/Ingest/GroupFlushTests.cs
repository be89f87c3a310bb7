using eSafe.Server.Storage;

namespace eSafe.Server.Tests.Ingest;

/// <summary>Group commit: each caller is answered by a flush that began after it asked, and callers share flushes.</summary>
public sealed class GroupFlushTests
{
    [Test]
    public async Task Each_caller_waits_for_a_flush_that_started_after_it_asked_and_many_share_one()
    {
        var started = 0;
        var finished = 0;
        var group = new GroupFlush(() =>
        {
            var mine = Interlocked.Increment(ref started);
            Thread.Sleep(5);
            Volatile.Write(ref finished, mine);
        });

        var callers = Enumerable.Range(0, 200).Select(async n =>
        {
            await Task.Delay(n % 20);
            var before = Volatile.Read(ref started);
            await group.WaitAsync(CancellationToken.None);
            Volatile.Read(ref finished).Should().BeGreaterThan(before, "the flush that answered must have begun after the caller's write");
        });
        await Task.WhenAll(callers);

        group.Flushes.Should().BeGreaterThan(0).And.BeLessThan(100);
    }

    [Test]
    public async Task A_flush_that_fails_fails_every_caller_it_would_have_answered_and_the_next_call_flushes_again()
    {
        var fail = true;
        var group = new GroupFlush(() =>
        {
            if (fail)
            {
                throw new IOException("no space left on device");
            }
        });

        var waiting = Enumerable.Range(0, 8).Select(_ => group.WaitAsync(CancellationToken.None)).ToList();
        foreach (var task in waiting)
        {
            await FluentActions.Awaiting(() => task).Should().ThrowAsync<IOException>();
        }

        fail = false;
        await group.WaitAsync(CancellationToken.None);
        group.Flushes.Should().Be(1);
    }
}
