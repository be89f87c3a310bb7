namespace eSafe.Server.Storage;

/// <summary>
/// What an answer that lets a device delete its copy waits for: everything this process committed before the call
/// has reached the disk and survives a power cut, not only a crash of the process.
/// </summary>
public interface IDurableCommits
{
    Task WaitAsync(CancellationToken cancellationToken);
}
