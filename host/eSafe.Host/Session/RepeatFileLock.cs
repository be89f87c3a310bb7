using eSafe.Host.Configuration;

namespace eSafe.Host.Session;

/// <summary>
/// One host process at a time saves the repeat filter's file: an exclusive lock on a file beside it (.NET takes
/// an advisory <c>flock</c> on Unix, a share lock on Windows), dropped when disposed or when the process dies.
/// A lock held too long (a hung process) is given up on rather than stopping the pipeline: the save goes ahead,
/// and the worst case is the old one, a lost hit and so a repeated incident.
/// </summary>
public sealed class RepeatFileLock : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);
    private readonly FileStream? _held;

    private RepeatFileLock(FileStream? held) => _held = held;

    public static RepeatFileLock Take(string lockPath, HostLog log)
    {
        ArgumentNullException.ThrowIfNull(log);
        StateFiles.CreatePrivateDirectory(Path.GetDirectoryName(Path.GetFullPath(lockPath))!);
        var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        var deadline = DateTime.UtcNow + Patience;
        for (var wait = 1; ; wait = Math.Min(wait * 2, 20))
        {
            try
            {
                return new RepeatFileLock(new FileStream(lockPath, options));
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(wait);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                log.Error($"the repeat filter's lock {Path.GetFileName(lockPath)} cannot be taken ({e.Message}); saving without it");
                return new RepeatFileLock(null);
            }
        }
    }

    public void Dispose() => _held?.Dispose();
}
