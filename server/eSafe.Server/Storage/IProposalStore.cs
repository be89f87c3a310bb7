using eSafe.Contracts.Http;

namespace eSafe.Server.Storage;

/// <summary>Proposed exceptions for library entries, from analysts' false-positive decisions.</summary>
public interface IProposalStore
{
    Task AddAsync(Proposal proposal, CancellationToken cancellationToken);

    Task<Proposal?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Newest first; <paramref name="state"/> null for every state.</summary>
    Task<IReadOnlyList<Proposal>> ListAsync(string? state, int limit, CancellationToken cancellationToken);

    /// <summary>Records a senior analyst's decision on a pending proposal; false when it was no longer pending.</summary>
    Task<bool> DecideAsync(Proposal decided, CancellationToken cancellationToken);
}
