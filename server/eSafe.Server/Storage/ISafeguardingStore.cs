namespace eSafe.Server.Storage;

/// <summary>Each school's contacts, protocol and report password.</summary>
public interface ISafeguardingStore
{
    /// <summary>The school's record; version 0 with no contacts and the default protocol when it has none yet.</summary>
    Task<SafeguardingRecord> GetAsync(string schoolId, CancellationToken cancellationToken);

    /// <summary>Saves a record one version on from the stored one; false (and no change) when another save came first.</summary>
    Task<bool> SaveAsync(SafeguardingRecord record, CancellationToken cancellationToken);
}
