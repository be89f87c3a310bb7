namespace eSafe.Server.Storage;

/// <summary>
/// The repeat filter's recent hits of each Chromebook (direct mode), kept by the server so that any of its
/// processes answers the device's next batch the same way. Holds keyed hashes only: a key carries words a pupil wrote.
/// </summary>
public interface IDeviceRepeatStore
{
    IReadOnlyDictionary<UInt128, DateTimeOffset> Load(string deviceId);

    /// <summary>Replaces the device's hits; durable when it returns.</summary>
    void Save(string deviceId, IReadOnlyDictionary<UInt128, DateTimeOffset> seen);
}
