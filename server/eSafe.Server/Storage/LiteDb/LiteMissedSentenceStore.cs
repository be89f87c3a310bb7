using eSafe.Contracts.Http;
using LiteDB;
using JsonSerializer = System.Text.Json.JsonSerializer;

namespace eSafe.Server.Storage.LiteDb;

/// <summary>Missed sentences; the sentence is encrypted (it quotes a pupil), the school and the incident's receipt time are clear.</summary>
public sealed class LiteMissedSentenceStore : IMissedSentenceStore
{
    private readonly PeriodKeys _periods;
    private readonly ILiteCollection<BsonDocument> _missed;

    public LiteMissedSentenceStore(DataFolder data, PeriodKeys periods)
    {
        ArgumentNullException.ThrowIfNull(data);
        _periods = periods;
        _missed = LiteCollections.Open(data.Database, "missed");
        _missed.EnsureIndex("school");
    }

    public async Task AddAsync(string schoolId, DateTimeOffset incidentReceivedAt, MissedSentence sentence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sentence);
        var blob = await _periods.EncryptAsync(schoolId, incidentReceivedAt, JsonSerializer.SerializeToUtf8Bytes(sentence, StorageJson.Default.MissedSentence),
            BlobPurposes.MissedSentence(sentence.Id), cancellationToken);
        _missed.Insert(new BsonDocument
        {
            ["_id"] = sentence.Id,
            ["school"] = schoolId,
            ["received"] = Bson.Time(incidentReceivedAt),
            ["blob"] = blob,
        });
    }

    public async Task<IReadOnlyList<MissedSentence>> ListAsync(IReadOnlyCollection<string>? schoolIds, CancellationToken cancellationToken)
    {
        var found = new List<MissedSentence>();
        foreach (var document in _missed.Query().OrderBy("$._id").ToList().Where(d => schoolIds is null || schoolIds.Contains(d["school"].AsString)))
        {
            found.Add(await ReadAsync(document, cancellationToken));
        }

        return found;
    }

    public async Task<int> DeleteExpiredAsync(string schoolId, DateTimeOffset cutoff, IReadOnlyCollection<string> expiredIncidents,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expiredIncidents);
        var expired = new List<BsonValue>();
        foreach (var document in _missed.Find(Query.EQ("school", schoolId)).ToList())
        {
            var gone = document["received"].IsInt64
                ? Bson.Time(document["received"]) < cutoff
                : IMissedSentenceStore.ExpiredWithoutReceipt(await ReadAsync(document, cancellationToken), cutoff, expiredIncidents);
            if (gone)
            {
                expired.Add(document["_id"]);
            }
        }

        return _missed.DeleteMany(Query.In("_id", expired));
    }

    // Sentences filed before the month keys have no receipt time: their blob is the data key's, which needs no month.
    private async Task<MissedSentence> ReadAsync(BsonDocument d, CancellationToken cancellationToken) =>
        JsonSerializer.Deserialize(await _periods.DecryptAsync(d["school"].AsString, d["received"].IsInt64 ? Bson.Time(d["received"]) : DateTimeOffset.UnixEpoch,
            d["blob"].AsBinary, BlobPurposes.MissedSentence(d["_id"].AsString), cancellationToken), StorageJson.Default.MissedSentence)
        ?? throw new InvalidOperationException($"Missed sentence {d["_id"].AsString} is empty.");
}
