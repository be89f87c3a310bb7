namespace eSafe.Server.Storage.LiteDb;

/// <summary>
/// LiteDB 5 writes a commit's pages to its log file (<c>esafe-log.db</c>) with a plain write and never fsyncs it, so a
/// commit survives the process being killed but not the machine losing power. This fsyncs the log once for every
/// commit of the last moments (<see cref="GroupFlush"/>). Its checkpoints, which move the log into the data file,
/// fsync the data file themselves before they empty the log. The log is opened by name at each flush, as LiteDB
/// deletes and remakes it when the engine is closed and reopened (<see cref="ReopeningEngine"/>); fsync works on the
/// file, whichever handle asks. An fsync that fails is a storage fault: the caller gets a 503, never a 200.
/// </summary>
public sealed class LiteLogFlush : IDurableCommits
{
    private readonly GroupFlush _group;

    public LiteLogFlush(DataFolder data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var log = Path.Combine(data.Root, Path.GetFileNameWithoutExtension(DataFolder.DatabaseFileName) + "-log.db");
        _group = new GroupFlush(() => Fsync(log));
    }

    public long Flushes => _group.Flushes;

    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _group.WaitAsync(cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StorageUnavailableException("The database's log cannot be flushed to disk just now (" + e.Message + ").", e);
        }
    }

    private static void Fsync(string path)
    {
        // Windows flushes a file only through a handle that may write, and LiteDB's own handle lets no other writer in:
        // there the log cannot be flushed from outside, and a server that must survive a power cut keeps its data in PostgreSQL.
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            RandomAccess.FlushToDisk(handle);
        }
        catch (FileNotFoundException)
        {
            // No log: every commit is in the data file already, which LiteDB's checkpoint fsynced.
        }
    }
}
