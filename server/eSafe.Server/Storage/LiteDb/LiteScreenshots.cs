using eSafe.Server.Security;
using LiteDB;

namespace eSafe.Server.Storage.LiteDb;

/// <summary>
/// The <c>screenshots</c> collection: for each incident with a screenshot, where its ciphertext is in the screenshot files
/// (<see cref="IScreenshotFiles"/>: segment, offset, length). Databases written before the files kept the ciphertext itself
/// in the document (<c>blob</c>); <see cref="MoveIntoFiles"/> moves those once at start-up, and until then they are read
/// where they are. Callers hold the incident store's write lock.
/// </summary>
internal sealed class LiteScreenshots
{
    public const string Collection = "screenshots";
    private readonly LiteDatabase _database;
    private readonly ILiteCollection<BsonDocument> _documents;

    public LiteScreenshots(LiteDatabase database, IScreenshotFiles files)
    {
        _database = database;
        Files = files;
        _documents = LiteCollections.Open(database, Collection);
        _documents.EnsureIndex("segment");
    }

    public IScreenshotFiles Files { get; }

    /// <summary>Records where an incident's screenshot is (in the caller's transaction).</summary>
    public void Insert(string incidentId, ScreenshotLocation location) => _documents.Insert(Document(incidentId, location));

    /// <summary>The ciphertext of an incident's screenshot, from its file or (older databases) its document; null when it has none.</summary>
    public byte[]? Read(string incidentId) => _documents.FindById(incidentId) is { } document ? Read(document) : null;

    public byte[]? Read(BsonDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (document["blob"].IsBinary)
        {
            return document["blob"].AsBinary;
        }

        return LocationOf(document) is { } location ? Files.Read(location, document["_id"].AsString) : null;
    }

    /// <summary>The same document with its ciphertext inline, as the older databases kept it (what the migration to PostgreSQL copies).</summary>
    public BsonDocument Inline(BsonDocument document) => document["blob"].IsBinary || Read(document) is not { } blob
        ? document
        : new BsonDocument { ["_id"] = document["_id"], ["blob"] = blob };

    /// <summary>Where the incidents' screenshots are, for those that have one in the files.</summary>
    public IReadOnlyList<ScreenshotLocation> LocationsOf(IEnumerable<BsonValue> incidentIds) =>
        [.. incidentIds.Select(id => _documents.FindById(id)).OfType<BsonDocument>().Select(LocationOf).OfType<ScreenshotLocation>()];

    /// <summary>Forgets an incident's screenshot (in the caller's transaction): its record was erased first.</summary>
    public void Delete(BsonValue incidentId) => _documents.Delete(incidentId);

    /// <summary>After the commit that forgot them: removes the segments of these records that nothing references any more.</summary>
    public int RemoveUnreferenced(IReadOnlyCollection<ScreenshotLocation> locations) =>
        locations.Count == 0 ? 0 : Files.RemoveUnreferenced(locations.Select(l => l.Segment), segment => _documents.Exists(Query.EQ("segment", segment)));

    /// <summary>
    /// Moves screenshots that an older server kept inside the database into the files, a few at a time: each batch's records are
    /// written and fsynced before the transaction that swaps their documents for locations, so a stop half-way leaves each one
    /// in one place or the other (and at worst an unreferenced copy in a segment, encrypted, which goes with its month).
    /// Returns how many moved.
    /// </summary>
    public int MoveIntoFiles(ILiteCollection<BsonDocument> incidents)
    {
        ArgumentNullException.ThrowIfNull(incidents);
        var ids = _documents.Query().Where("$.blob != null").Select("$._id").ToList().Select(d => d["_id"]).ToList();
        var moved = 0;
        foreach (var batch in ids.Chunk(32))
        {
            var toFile = new List<(BsonValue Id, ScreenshotToFile Screenshot)>();
            foreach (var id in batch)
            {
                if (_documents.FindById(id) is { } document && document["blob"].IsBinary && incidents.FindById(id) is { } incident)
                {
                    toFile.Add((id, new ScreenshotToFile(id.AsString, incident["schoolId"].AsString, Bson.Time(incident["receivedAt"]),
                        document["blob"].AsBinary)));
                }
            }

            var locations = Files.Append([.. toFile.Select(t => t.Screenshot)]);
            _database.BeginTrans();
            try
            {
                for (var n = 0; n < toFile.Count; n++)
                {
                    _documents.Update(Document(toFile[n].Id.AsString, locations[n]));
                }

                _database.Commit();
            }
            catch
            {
                _database.Rollback();
                throw;
            }

            moved += toFile.Count;
        }

        return moved;
    }

    /// <summary>
    /// <c>keys re-encrypt</c> for the screenshots in the files: one made with an older data key (moved from an older database)
    /// is written again with the current one, the document then points at the new record, and the old record is erased.
    /// Month-key screenshots need nothing (their key is re-wrapped). Returns how many were re-encrypted.
    /// </summary>
    public int ReEncrypt(ILiteCollection<BsonDocument> incidents, AtRestCipher cipher)
    {
        ArgumentNullException.ThrowIfNull(incidents);
        ArgumentNullException.ThrowIfNull(cipher);
        var count = 0;
        foreach (var id in _documents.Query().Where("$.segment != null").Select("$._id").ToList().Select(d => d["_id"]))
        {
            if (_documents.FindById(id) is not { } document || LocationOf(document) is not { } old || incidents.FindById(id) is not { } incident
                || Files.Read(old, id.AsString) is not { } blob || PeriodKeys.IsPeriodBlob(blob) || AtRestCipher.KeyOf(blob) == cipher.CurrentKey)
            {
                continue;
            }

            var again = cipher.ReEncrypt(blob, LiteIncidentStore.ScreenshotPurpose(id.AsString));
            var location = Files.Append([new ScreenshotToFile(id.AsString, incident["schoolId"].AsString, Bson.Time(incident["receivedAt"]), again)])[0];
            _documents.Update(Document(id.AsString, location));
            Files.ZeroOut([old]);
            RemoveUnreferenced([old]);
            count++;
        }

        return count;
    }

    private static BsonDocument Document(string incidentId, ScreenshotLocation location) => new()
    {
        ["_id"] = incidentId,
        ["segment"] = location.Segment,
        ["offset"] = location.Offset,
        ["length"] = location.Length,
    };

    private static ScreenshotLocation? LocationOf(BsonDocument document) => document["segment"].IsString
        ? new ScreenshotLocation(document["segment"].AsString, document["offset"].AsInt64, document["length"].AsInt32)
        : null;
}
