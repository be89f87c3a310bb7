namespace eSafe.Incidents.Pipeline;

/// <summary>
/// Keeps the <see cref="RepeatFilter"/>'s recent hits beyond one process (the host ends whenever the browser
/// closes its port). Holds hashes of keys only: a key carries words a pupil wrote.
/// </summary>
public interface IRepeatStore
{
    public const int HashKeyBytes = 32;

    /// <summary>The secret the keys are hashed with (<see cref="HashKeyBytes"/> bytes); the same for every process sharing the store.</summary>
    ReadOnlyMemory<byte> HashKey { get; }

    /// <summary>What is stored, or null when nothing changed since the last load or save (or nothing can be read).</summary>
    IReadOnlyDictionary<UInt128, DateTimeOffset>? LoadIfChanged();

    /// <summary>Stores these hits (a store shared by several processes keeps theirs too, the newer time winning); durable when it returns.</summary>
    void Save(IReadOnlyDictionary<UInt128, DateTimeOffset> seen);
}
