using eSafe.Contracts.Http;
using eSafe.Server.Security;
using LiteDB;
using JsonSerializer = System.Text.Json.JsonSerializer;

namespace eSafe.Server.Storage.LiteDb;

/// <summary>Missed sentences; the sentence is encrypted (it quotes a pupil), the school is clear for scoping.</summary>
public sealed class LiteMissedSentenceStore : IMissedSentenceStore
{
    private readonly AtRestCipher _cipher;
    private readonly ILiteCollection<BsonDocument> _missed;

    public LiteMissedSentenceStore(DataFolder data)
    {
        ArgumentNullException.ThrowIfNull(data);
        _cipher = data.Cipher;
        _missed = data.Database.GetCollection("missed");
        _missed.EnsureIndex("school");
    }

    public Task AddAsync(string schoolId, MissedSentence sentence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sentence);
        _missed.Insert(new BsonDocument
        {
            ["_id"] = sentence.Id,
            ["school"] = schoolId,
            ["blob"] = _cipher.Encrypt(JsonSerializer.SerializeToUtf8Bytes(sentence, StorageJson.Default.MissedSentence), BlobPurposes.MissedSentence(sentence.Id)),
        });
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<MissedSentence>> ListAsync(IReadOnlyCollection<string>? schoolIds, CancellationToken cancellationToken)
    {
        IReadOnlyList<MissedSentence> found = [.. _missed.Query().OrderBy("$._id").ToList()
            .Where(d => schoolIds is null || schoolIds.Contains(d["school"].AsString))
            .Select(Read)];
        return Task.FromResult(found);
    }

    private MissedSentence Read(BsonDocument d) =>
        JsonSerializer.Deserialize(_cipher.Decrypt(d["blob"].AsBinary, BlobPurposes.MissedSentence(d["_id"].AsString)), StorageJson.Default.MissedSentence)
        ?? throw new InvalidOperationException($"Missed sentence {d["_id"].AsString} is empty.");
}
