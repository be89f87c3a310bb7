using LiteDB;
using LiteDB.Engine;

namespace eSafe.Server.Storage.LiteDb;

/// <summary>
/// The LiteDB engine behind every store, reopened after a storage fault. LiteDB closes its engine for good on
/// any <see cref="IOException"/> (a full disk, say), and every later call fails with "engine disposed" until the
/// process restarts. This engine hands such a fault on as <see cref="StorageUnavailableException"/> (503 to the
/// caller), drops the closed engine, and opens the file again on a later call (at most once every
/// <see cref="RetryInterval"/>), so the server recovers by itself once the disk has room again.
/// </summary>
public sealed class ReopeningEngine : ILiteEngine
{
    public static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(1);
    private readonly Func<ILiteEngine> _open;
    private readonly Lock _lock = new();
    private readonly ThreadLocal<ILiteEngine?> _transaction = new();
    private ILiteEngine? _engine;
    private Exception? _fault;
    private DateTime _lastAttempt;
    private bool _disposed;

    /// <param name="open">Opens the database file; it is called once now (its failure is the caller's to report) and again after a fault.</param>
    public ReopeningEngine(Func<ILiteEngine> open)
    {
        ArgumentNullException.ThrowIfNull(open);
        _open = open;
        _engine = open();
    }

    /// <summary>True while the database is closed after a fault and not yet reopened.</summary>
    public bool IsFaulted
    {
        get
        {
            lock (_lock)
            {
                return _engine is null;
            }
        }
    }

    public int Checkpoint() => Run(e => e.Checkpoint());

    public long Rebuild(RebuildOptions options) => Run(e => e.Rebuild(options));

    public bool BeginTrans() => Run(e =>
    {
        var begun = e.BeginTrans();
        _transaction.Value = e;
        return begun;
    });

    public bool Commit() => EndTransaction(e => e.Commit());

    public bool Rollback() => EndTransaction(e => e.Rollback());

    public IBsonDataReader Query(string collection, Query query) => Run(e => e.Query(collection, query));

    public int Insert(string collection, IEnumerable<BsonDocument> docs, BsonAutoId autoId) => Run(e => e.Insert(collection, docs, autoId));

    public int Update(string collection, IEnumerable<BsonDocument> docs) => Run(e => e.Update(collection, docs));

    public int UpdateMany(string collection, BsonExpression transform, BsonExpression predicate) => Run(e => e.UpdateMany(collection, transform, predicate));

    public int Upsert(string collection, IEnumerable<BsonDocument> docs, BsonAutoId autoId) => Run(e => e.Upsert(collection, docs, autoId));

    public int Delete(string collection, IEnumerable<BsonValue> ids) => Run(e => e.Delete(collection, ids));

    public int DeleteMany(string collection, BsonExpression predicate) => Run(e => e.DeleteMany(collection, predicate));

    public bool DropCollection(string name) => Run(e => e.DropCollection(name));

    public bool RenameCollection(string name, string newName) => Run(e => e.RenameCollection(name, newName));

    public bool EnsureIndex(string collection, string name, BsonExpression expression, bool unique) =>
        Run(e => e.EnsureIndex(collection, name, expression, unique));

    public bool DropIndex(string collection, string name) => Run(e => e.DropIndex(collection, name));

    public BsonValue Pragma(string name) => Run(e => e.Pragma(name));

    public bool Pragma(string name, BsonValue value) => Run(e => e.Pragma(name, value));

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            if (_engine is { } engine)
            {
                // Closing with a transaction still open leaves it to LiteDB's finalizer, which can end the process (below).
                ForgetOpenTransactions(engine);
                engine.Dispose();
                ForgetOpenTransactions(engine);
            }

            _engine = null;
        }

        _transaction.Dispose();
    }

    private bool EndTransaction(Func<ILiteEngine, bool> end)
    {
        var began = _transaction.Value;
        _transaction.Value = null;
        var engine = Current();
        // A transaction begun on an engine that has since been dropped is gone with it: nothing of it was written.
        return began is not null && !ReferenceEquals(began, engine) ? throw Unavailable(null) : Run(end);
    }

    private T Run<T>(Func<ILiteEngine, T> operation)
    {
        var engine = Current();
        if (_transaction.Value is { } began && !ReferenceEquals(began, engine))
        {
            // This thread's transaction was on an engine dropped meanwhile: writing on would commit half of it.
            throw Unavailable(null);
        }

        try
        {
            return operation(engine);
        }
        catch (Exception e) when (IsStorageFault(e))
        {
            Drop(engine, e);
            throw Unavailable(e);
        }
    }

    private ILiteEngine Current()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_engine is not null)
            {
                return _engine;
            }

            if (DateTime.UtcNow - _lastAttempt < RetryInterval)
            {
                throw Unavailable(_fault);
            }

            _lastAttempt = DateTime.UtcNow;
            try
            {
                _engine = _open();
                _fault = null;
                return _engine;
            }
            catch (Exception e) when (IsStorageFault(e))
            {
                _fault = e;
                throw Unavailable(e);
            }
        }
    }

    private void Drop(ILiteEngine engine, Exception fault)
    {
        lock (_lock)
        {
            if (!ReferenceEquals(_engine, engine))
            {
                return;
            }

            _engine = null;
            _fault = fault;
            _lastAttempt = DateTime.MinValue;
        }

        ForgetOpenTransactions(engine);
        try
        {
            engine.Dispose();
        }
        catch (Exception e) when (IsStorageFault(e) || e is LiteException or AggregateException)
        {
            // Closed already by LiteDB itself, or its files cannot be written: either way it is gone.
        }

        ForgetOpenTransactions(engine);
    }

    // A transaction left open on an engine that failed is finalized by LiteDB 5 later, on the GC's thread, where discarding
    // its pages throws ("discarded page must be writable") and ends the process. Nothing of it was written: its finalizer
    // must not run. LiteDB keeps them in its transaction monitor, which it does not expose.
    private static void ForgetOpenTransactions(ILiteEngine engine)
    {
        const System.Reflection.BindingFlags Fields = System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic;
        foreach (var monitor in engine.GetType().GetFields(Fields).Select(f => f.GetValue(engine)).Where(v => v?.GetType().Name == "TransactionMonitor"))
        {
            foreach (var held in monitor!.GetType().GetFields(Fields).Select(f => f.GetValue(monitor)))
            {
                var transactions = held switch
                {
                    System.Collections.IDictionary map => map.Values.Cast<object>(),
                    System.Collections.IEnumerable list when held is not string => list.Cast<object>(),
                    _ => [],
                };
                foreach (var transaction in transactions.Where(t => t?.GetType().Name == "TransactionService").ToList())
                {
#pragma warning disable CA1816 // Not our object's Dispose: LiteDB's transaction, whose finalizer must not run (above).
                    GC.SuppressFinalize(transaction);
#pragma warning restore CA1816
                }
            }
        }
    }

    private StorageUnavailableException Unavailable(Exception? inner) => new(
        "The database cannot be written just now (" + (inner ?? _fault)?.Message + ").", inner ?? _fault);

    private static bool IsStorageFault(Exception e) =>
        e is IOException or UnauthorizedAccessException or ObjectDisposedException
        || (e is LiteException lite && lite.ErrorCode is LiteException.ENGINE_DISPOSED or LiteException.INVALID_DATAFILE_STATE);
}
