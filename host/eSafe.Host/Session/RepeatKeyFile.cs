using System.Security.Cryptography;
using eSafe.Host.Configuration;
using eSafe.Incidents.Pipeline;

namespace eSafe.Host.Session;

/// <summary>
/// The random secret the repeat filter's hashes are keyed with, one per install, in the state folder (mode 600).
/// Made on first use; a missing, unreadable or damaged file means a new secret (and so an empty filter, since
/// the hashes stored under the old one no longer check out), said so in the log.
/// </summary>
public static class RepeatKeyFile
{
    public static byte[] LoadOrCreate(string path, HostLog log)
    {
        ArgumentNullException.ThrowIfNull(log);
        for (var attempt = 0; attempt < 2; attempt++)
        {
            if (TryRead(path, log) is { } key)
            {
                return key;
            }

            var fresh = RandomNumberGenerator.GetBytes(IRepeatStore.HashKeyBytes);
            if (File.Exists(path))
            {
                // Damaged: replaced whole, never patched.
                StateFiles.WriteAtomically(path, fresh);
                return fresh;
            }

            if (StateFiles.CreateOnce(path, fresh))
            {
                // A lost secret shows as a repeats.bin that no longer checks out (logged there).
                return fresh;
            }

            // Another host process made it first: read theirs.
        }

        throw new IOException($"{path} can be neither read nor made");
    }

    private static byte[]? TryRead(string path, HostLog log)
    {
        try
        {
            var bytes = File.ReadAllBytes(path);
            if (bytes.Length == IRepeatStore.HashKeyBytes)
            {
                return bytes;
            }

            log.Error($"the repeat filter's secret {Path.GetFileName(path)} is damaged; a new one is made and recent hits are forgotten");
        }
        catch (FileNotFoundException)
        {
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.Error($"the repeat filter's secret {Path.GetFileName(path)} cannot be read ({e.Message}); a new one is made and recent hits are forgotten");
        }

        return null;
    }
}
