namespace eSafe.Host;

/// <summary>
/// The host's log: standard error (Chrome keeps standard output for frames) and, when given, a file in
/// the state folder that starts afresh past 1 MB. Never logs what pupils type.
/// </summary>
public sealed class HostLog(string? file)
{
    private const long MaxFileBytes = 1024 * 1024;
    private readonly Lock _gate = new();

    public void Info(string message) => Write("info", message);

    public void Error(string message) => Write("error", message);

    private void Write(string level, string message)
    {
        var line = $"{DateTimeOffset.UtcNow:O} {level} {message}";
        lock (_gate)
        {
            Console.Error.WriteLine(line);
            if (file is null)
            {
                return;
            }

            try
            {
                if (new FileInfo(file) is { Exists: true, Length: > MaxFileBytes })
                {
                    File.Move(file, file + ".1", overwrite: true);
                }

                File.AppendAllText(file, line + Environment.NewLine);
            }
            catch (IOException)
            {
                // A log that cannot be written must not stop the host.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
