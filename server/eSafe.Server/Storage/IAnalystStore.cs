namespace eSafe.Server.Storage;

/// <summary>Console accounts, found by username regardless of case.</summary>
public interface IAnalystStore
{
    /// <summary>False when the username is taken.</summary>
    Task<bool> AddAsync(AnalystAccount account, CancellationToken cancellationToken);

    Task<AnalystAccount?> FindAsync(string username, CancellationToken cancellationToken);

    Task<bool> UpdateAsync(AnalystAccount account, CancellationToken cancellationToken);

    Task<IReadOnlyList<AnalystAccount>> ListAsync(CancellationToken cancellationToken);
}
