using System.Collections.Concurrent;
using System.Threading.Channels;
using eSafe.Server.Analysts;

namespace eSafe.Server.Live;

/// <summary>
/// This process's console users listening for changes. Each gets only changes of schools in its scope, in a small queue of
/// its own: a slow reader loses the oldest hints (they only say "refresh"), never slows the others or grows memory.
/// </summary>
public sealed class LiveSubscribers
{
    /// <summary>How many listeners one process keeps at most; more are refused (503) rather than exhaust it.</summary>
    public const int MaxSubscribers = 2000;

    private const int QueueLength = 32;
    private readonly ConcurrentDictionary<LiveSubscription, byte> _subscriptions = new();

    public int Count => _subscriptions.Count;

    /// <summary>A new listener for changes in <paramref name="scope"/>; null when the process has <see cref="MaxSubscribers"/> already.</summary>
    public LiveSubscription? Subscribe(AccessScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        if (_subscriptions.Count >= MaxSubscribers)
        {
            return null;
        }

        var subscription = new LiveSubscription(scope, s => _subscriptions.TryRemove(s, out _));
        _subscriptions[subscription] = 0;
        return subscription;
    }

    /// <summary>Hands a change to every listener whose scope includes its school.</summary>
    public void Deliver(LiveChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        foreach (var subscription in _subscriptions.Keys)
        {
            if (subscription.Scope.Includes(change.SchoolId))
            {
                subscription.Offer(LiveSignal.Of(change));
            }
        }
    }

    /// <summary>Tells every listener that changes may have been missed (the feed was down): refresh everything.</summary>
    public void Resync()
    {
        foreach (var subscription in _subscriptions.Keys)
        {
            subscription.Offer(LiveSignal.Resync);
        }
    }

    internal static Channel<LiveSignal> NewQueue() => Channel.CreateBounded<LiveSignal>(
        new BoundedChannelOptions(QueueLength) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
}

/// <summary>What a listener hears: a change, or that it should refresh everything.</summary>
public sealed record LiveSignal(LiveChange? Change)
{
    public static LiveSignal Resync { get; } = new((LiveChange?)null);

    public static LiveSignal Of(LiveChange change) => new(change);
}

/// <summary>One listener; disposing it stops delivery to it.</summary>
public sealed class LiveSubscription : IDisposable
{
    private readonly Channel<LiveSignal> _queue = LiveSubscribers.NewQueue();
    private readonly Action<LiveSubscription> _remove;

    internal LiveSubscription(AccessScope scope, Action<LiveSubscription> remove)
    {
        Scope = scope;
        _remove = remove;
    }

    public AccessScope Scope { get; }

    public ChannelReader<LiveSignal> Signals => _queue.Reader;

    internal void Offer(LiveSignal signal) => _queue.Writer.TryWrite(signal);

    public void Dispose()
    {
        _remove(this);
        _queue.Writer.TryComplete();
    }
}
