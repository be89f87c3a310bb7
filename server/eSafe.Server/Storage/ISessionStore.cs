namespace eSafe.Server.Storage;

/// <summary>
/// Console sessions kept on the server, so that ending one (logout, password reset, expiry) is final: a copied
/// cookie names a session that is no longer there. Every state lives in the store, none in a process's memory,
/// so any number of server processes can share it.
/// </summary>
public interface ISessionStore
{
    Task AddAsync(SessionRecord session, CancellationToken cancellationToken);

    Task<SessionRecord?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Replaces a session's ticket and last-seen time; false when it has ended meanwhile.</summary>
    Task<bool> UpdateAsync(SessionRecord session, CancellationToken cancellationToken);

    Task RemoveAsync(string id, CancellationToken cancellationToken);

    /// <summary>Ends every session of one account; returns how many there were.</summary>
    Task<int> RemoveForAccountAsync(string username, CancellationToken cancellationToken);

    /// <summary>Removes sessions idle since before <paramref name="idleBefore"/> or started before <paramref name="startedBefore"/>.</summary>
    Task<int> RemoveExpiredAsync(DateTimeOffset idleBefore, DateTimeOffset startedBefore, CancellationToken cancellationToken);
}

/// <summary>
/// One signed-in session. <see cref="Id"/> is a hash of the key the cookie carries (the key itself is never
/// stored); <see cref="Ticket"/> is the authentication ticket, encrypted with the data key.
/// </summary>
public sealed record SessionRecord(string Id, string Username, byte[] Ticket, DateTimeOffset StartedAt, DateTimeOffset LastSeenAt);
