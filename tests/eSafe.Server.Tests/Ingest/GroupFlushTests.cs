using eSafe.Server.Storage;

namespace eSafe.Server.Tests.Ingest;

/// <summary>Group commit: each caller is answered by a flush that began after it asked, and callers share flushes.</summary>
public sealed class GroupFlushTests
{
    [Test]
    public async Task Each_caller_waits_for_a_flush_that_started_after_it_asked_and_many_share_one()
    {
        // The first flush is held open while 199 more callers ask: none may be answered by it (it began before they
        // asked), and all of them share the one flush that follows. A gate, not timing, so a busy machine gives the same.
        using var firstStarted = new ManualResetEventSlim();
        using var releaseFirst = new ManualResetEventSlim();
        var started = 0;
        var group = new GroupFlush(() =>
        {
            if (Interlocked.Increment(ref started) == 1)
            {
                firstStarted.Set();
                releaseFirst.Wait();
            }
        });

        var first = group.WaitAsync(CancellationToken.None);
        firstStarted.Wait(TimeSpan.FromSeconds(10)).Should().BeTrue("the first caller starts a flush");
        var later = Enumerable.Range(0, 199).Select(_ => group.WaitAsync(CancellationToken.None)).ToList();
        await Task.Delay(50);
        later.Should().OnlyContain(t => !t.IsCompleted, "the flush running when they asked cannot answer them");
        first.IsCompleted.Should().BeFalse();

        releaseFirst.Set();
        await first;
        await Task.WhenAll(later);

        group.Flushes.Should().Be(2, "everyone who asked during the first flush shares the second");
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
