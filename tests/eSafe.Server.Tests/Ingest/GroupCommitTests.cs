using eSafe.Server.Storage;

namespace eSafe.Server.Tests.Ingest;

/// <summary>Writes that arrive together share one commit; each caller gets its own result, in the order they asked.</summary>
public sealed class GroupCommitTests
{
    [Test]
    public async Task Callers_who_ask_while_a_batch_is_written_share_the_next_and_each_gets_its_own_result_in_order()
    {
        // The first batch is held open while 99 more callers ask: all of them go in the second batch, in the order they asked.
        using var firstStarted = new ManualResetEventSlim();
        using var releaseFirst = new ManualResetEventSlim();
        var batches = new List<IReadOnlyList<int>>();
        var group = new GroupCommit<int, string>(items =>
        {
            lock (batches)
            {
                batches.Add(items);
            }

            if (batches.Count == 1)
            {
                firstStarted.Set();
                releaseFirst.Wait();
            }

            return Task.FromResult<IReadOnlyList<string>>([.. items.Select(i => "line " + i)]);
        });

        var first = group.AddAsync(0, CancellationToken.None);
        firstStarted.Wait(TimeSpan.FromSeconds(10)).Should().BeTrue("the first caller starts a batch");
        var later = Enumerable.Range(1, 99).Select(i => group.AddAsync(i, CancellationToken.None)).ToList();
        await Task.Delay(50);
        later.Should().OnlyContain(t => !t.IsCompleted, "nothing is answered before its batch commits");

        releaseFirst.Set();
        (await first).Should().Be("line 0");
        (await Task.WhenAll(later)).Should().Equal(Enumerable.Range(1, 99).Select(i => "line " + i));
        batches.Should().HaveCount(2);
        batches[1].Should().Equal(Enumerable.Range(1, 99), "a batch keeps the order its callers asked in");
        group.Batches.Should().Be(2);
    }

    [Test]
    public async Task A_batch_that_fails_fails_each_of_its_callers_and_the_next_caller_is_written_again()
    {
        var fail = true;
        var group = new GroupCommit<int, int>(items => fail
            ? throw new IOException("no space left on device")
            : Task.FromResult<IReadOnlyList<int>>([.. items]));

        var waiting = Enumerable.Range(0, 8).Select(i => group.AddAsync(i, CancellationToken.None)).ToList();
        foreach (var task in waiting)
        {
            await FluentActions.Awaiting(() => task).Should().ThrowAsync<IOException>();
        }

        fail = false;
        (await group.AddAsync(42, CancellationToken.None)).Should().Be(42);
        group.Batches.Should().Be(1);
    }

    [Test]
    public async Task A_batch_is_never_larger_than_its_limit()
    {
        using var firstStarted = new ManualResetEventSlim();
        using var releaseFirst = new ManualResetEventSlim();
        var sizes = new List<int>();
        var group = new GroupCommit<int, int>(items =>
        {
            lock (sizes)
            {
                sizes.Add(items.Count);
            }

            if (sizes.Count == 1)
            {
                firstStarted.Set();
                releaseFirst.Wait();
            }

            return Task.FromResult<IReadOnlyList<int>>([.. items]);
        }, maxBatch: 10);

        var first = group.AddAsync(0, CancellationToken.None);
        firstStarted.Wait(TimeSpan.FromSeconds(10)).Should().BeTrue();
        var later = Enumerable.Range(1, 25).Select(i => group.AddAsync(i, CancellationToken.None)).ToList();
        releaseFirst.Set();
        await first;
        (await Task.WhenAll(later)).Should().Equal(Enumerable.Range(1, 25));
        sizes.Should().Equal(1, 10, 10, 5);
    }
}
