using LiteDB;

namespace eSafe.Server.Storage.LiteDb;

/// <summary>
/// The stores' collections, each made when its store opens rather than by its first write: LiteDB 5 can fail a read of a
/// collection that another transaction is making at that moment ("page type must be collection page", its issue 2792),
/// as when a fresh server's first requests arrive together.
/// </summary>
internal static class LiteCollections
{
    public static ILiteCollection<BsonDocument> Open(LiteDatabase database, string name)
    {
        ArgumentNullException.ThrowIfNull(database);
        var collection = database.GetCollection(name);
        if (!database.CollectionExists(name))
        {
            // LiteDB has no call that makes an empty collection: a placeholder made and removed in one transaction does.
            database.BeginTrans();
            try
            {
                collection.Insert(new BsonDocument { ["_id"] = "\u0000made" });
                collection.Delete("\u0000made");
                database.Commit();
            }
            catch
            {
                database.Rollback();
                throw;
            }
        }

        return collection;
    }
}
