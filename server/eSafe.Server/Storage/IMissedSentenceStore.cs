using eSafe.Contracts.Http;

namespace eSafe.Server.Storage;

/// <summary>Sentences analysts filed as missed by the library, each with the school of its incident.</summary>
public interface IMissedSentenceStore
{
    Task AddAsync(string schoolId, MissedSentence sentence, CancellationToken cancellationToken);

    /// <summary>Oldest first, in these schools (null: every school).</summary>
    Task<IReadOnlyList<MissedSentence>> ListAsync(IReadOnlyCollection<string>? schoolIds, CancellationToken cancellationToken);
}
