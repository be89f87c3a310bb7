namespace eSafe.Server.Storage;

/// <summary>
/// The repeat filter's recent hits of each Chromebook (direct mode), kept by the server so that any of its
/// processes answers the device's next batch the same way. Holds keyed hashes only: a key carries words a pupil wrote.
/// </summary>
public interface IDeviceRepeatStore
{
    IReadOnlyDictionary<UInt128, DateTimeOffset> Load(string deviceId);

    /// <summary>
    /// Merges <paramref name="seen"/> into the device's stored hits (<see cref="eSafe.Incidents.Pipeline.RepeatHitMerge"/>: the
    /// newer time wins) and drops those older than <paramref name="forgetBefore"/>, atomically against other processes
    /// saving the same device's hits at once, so none of their hits is lost; durable when it returns.
    /// </summary>
    void Merge(string deviceId, IReadOnlyDictionary<UInt128, DateTimeOffset> seen, DateTimeOffset forgetBefore);
}
