namespace eSafe.Contracts.Http;

/// <summary>
/// An analyst's "missed" signal, filed from an incident's page: a sentence the library did not find (in the
/// incident's text or its screenshot) and the category it belongs to. It feeds the quality set
/// (<c>esafe-server quality export</c>).
/// </summary>
public sealed record MissedSentenceRequest(string Category, string Text);

/// <summary>A filed missed sentence, as stored and returned.</summary>
public sealed record MissedSentence(string Id, string IncidentId, string Category, string Text, string FiledBy, DateTimeOffset FiledAt);
