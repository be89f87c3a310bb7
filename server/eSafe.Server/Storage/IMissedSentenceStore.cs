using eSafe.Contracts.Http;

namespace eSafe.Server.Storage;

/// <summary>
/// Sentences analysts filed as missed by the library, each with the school of its incident. A sentence quotes a pupil, so it
/// is encrypted under the key of the month its incident was received in (<see cref="PeriodKeys"/>) and goes with that month.
/// </summary>
public interface IMissedSentenceStore
{
    Task AddAsync(string schoolId, DateTimeOffset incidentReceivedAt, MissedSentence sentence, CancellationToken cancellationToken);

    /// <summary>Oldest first, in these schools (null: every school).</summary>
    Task<IReadOnlyList<MissedSentence>> ListAsync(IReadOnlyCollection<string>? schoolIds, CancellationToken cancellationToken);

    /// <summary>
    /// Retention: deletes the school's sentences whose incident was received before <paramref name="cutoff"/>, and those filed
    /// before the month keys existed (no receipt time kept) whose incident is one of <paramref name="expiredIncidents"/> or that
    /// were filed before the cutoff; returns how many.
    /// </summary>
    Task<int> DeleteExpiredAsync(string schoolId, DateTimeOffset cutoff, IReadOnlyCollection<string> expiredIncidents, CancellationToken cancellationToken);

    /// <summary>Whether a sentence kept without its incident's receipt time has expired: its incident went, or it was filed before the cutoff.</summary>
    static bool ExpiredWithoutReceipt(MissedSentence sentence, DateTimeOffset cutoff, IReadOnlyCollection<string> expiredIncidents) =>
        expiredIncidents.Contains(sentence.IncidentId) || sentence.FiledAt < cutoff;
}
