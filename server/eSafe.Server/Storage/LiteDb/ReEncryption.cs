using System.Xml.Linq;
using eSafe.Server.Security;
using LiteDB;

namespace eSafe.Server.Storage.LiteDb;

/// <summary>
/// <c>esafe-server keys re-encrypt</c>: every blob made with an older data key is made again with the current one
/// (each record in its own transaction, so a stop half-way leaves every record readable), and the cookie keys in
/// <c>data-protection/</c> likewise. Incidents and screenshots are encrypted with their school's month key
/// (<see cref="PeriodKeys"/>): only those keys are re-wrapped, the records stay as they are. Screenshots of older databases
/// made with the data key are re-encrypted where they are: in the database, or in the screenshot files once moved there. Afterwards the older data key
/// files can be removed, and a backup made before the rotation opens nothing without them.
/// </summary>
public static class ReEncryption
{
    /// <summary>How many blobs were moved to the current key, by where they are kept.</summary>
    public static IReadOnlyDictionary<string, int> Run(DataFolder data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var db = data.Database;
        var cipher = data.Cipher;
        var moved = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var incidents = db.GetCollection("incidents");

        moved["incident contents"] = Move(db, "incident_contents", "blob",
            d => incidents.FindById(d["_id"]) is { } clear ? LiteIncidentStore.ContentsPurpose(clear) : null, cipher);
        moved["screenshots"] = Move(db, LiteScreenshots.Collection, "blob", d => LiteIncidentStore.ScreenshotPurpose(d["_id"].AsString), cipher)
            + new LiteScreenshots(db, data.ScreenshotFiles).ReEncrypt(incidents, cipher);
        moved["devices"] = Move(db, "devices", "contents", d => LiteDeviceStore.Purpose(d["_id"].AsString, d["schoolId"].AsString), cipher);
        // Schools' user-ID keys, while the server still keeps them.
        moved["schools"] = Move(db, "schools", "userIdKey", d => "school-user-id-key\n" + d["_id"].AsString, cipher);
        moved["incident workflows"] = Move(db, "incident_workflow", "blob",
            d => incidents.FindById(d["_id"]) is { } clear && clear["workflowVersion"].IsInt32
                ? LiteIncidentWorkflowStore.Purpose(clear["_id"].AsString, clear["workflowVersion"].AsInt32) : null, cipher);
        moved["safeguarding"] = Move(db, "safeguarding", "blob", d => LiteSafeguardingStore.Purpose(d["_id"].AsString, d["version"].AsInt32), cipher);
        moved["proposals"] = Move(db, "proposals", "blob", d => LiteProposalStore.Purpose(d["_id"].AsString), cipher);
        // Sentences filed before the month keys (those since are month-key blobs, left as they are).
        moved["missed sentences"] = Move(db, "missed", "blob", d => BlobPurposes.MissedSentence(d["_id"].AsString), cipher);
        // Signed-in sessions, so that rotating the data key signs no one out.
        moved["sessions"] = Move(db, "sessions", "ticket", d => ServerSessions.TicketPurpose(d["_id"].AsString), cipher);
        moved["period keys"] = Move(db, LitePeriodKeyStore.Collection, "wrapped",
            d => PeriodKeys.WrapPurpose(d["schoolId"].AsString, d["period"].AsString), cipher);
        moved["key check"] = Move(db, "meta", "blob", d => d["_id"].AsString == DataFolder.KeyCheckPurpose ? DataFolder.KeyCheckPurpose : null, cipher);
        moved["cookie keys"] = MoveDataProtectionKeys(data.DataProtectionDirectory, cipher);
        db.Checkpoint();
        return moved;
    }

    private static int Move(LiteDatabase db, string collection, string field, Func<BsonDocument, string?> purpose, AtRestCipher cipher)
    {
        var documents = db.GetCollection(collection);
        var count = 0;
        foreach (var id in documents.Query().Select("_id").ToList().Select(d => d["_id"]))
        {
            var document = documents.FindById(id);
            // Month-key blobs need nothing: their key is re-wrapped instead.
            if (document is null || !document[field].IsBinary || PeriodKeys.IsPeriodBlob(document[field].AsBinary) || purpose(document) is not { } what
                || AtRestCipher.KeyOf(document[field].AsBinary) == cipher.CurrentKey)
            {
                continue;
            }

            document[field] = cipher.ReEncrypt(document[field].AsBinary, what);
            documents.Update(document);
            count++;
        }

        return count;
    }

    private static int MoveDataProtectionKeys(string folder, AtRestCipher cipher)
    {
        var count = 0;
        foreach (var file in Directory.Exists(folder) ? Directory.GetFiles(folder, "*.xml") : [])
        {
            var xml = XDocument.Load(file);
            var changed = false;
            foreach (var value in xml.Descendants("encryptedKey").Elements("value"))
            {
                var blob = Convert.FromBase64String(value.Value);
                if (AtRestCipher.KeyOf(blob) != cipher.CurrentKey)
                {
                    value.Value = Convert.ToBase64String(cipher.ReEncrypt(blob, AtRestXmlEncryptor.Purpose));
                    changed = true;
                }
            }

            if (changed)
            {
                SecureFiles.Write(file, System.Text.Encoding.UTF8.GetBytes(xml.ToString(SaveOptions.DisableFormatting)), overwrite: true);
                count++;
            }
        }

        return count;
    }
}
