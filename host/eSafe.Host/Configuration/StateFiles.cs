using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace eSafe.Host.Configuration;

/// <summary>Reads and writes the host's small JSON files: atomically, and readable by their owner only.</summary>
public static class StateFiles
{
    public static T? Read<T>(string path, JsonTypeInfo<T> type) where T : class
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(path), type);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not valid: {e.Message}", e);
        }
    }

    public static void Write<T>(string path, T value, JsonTypeInfo<T> type, bool readableByAll = false)
    {
        WriteAtomically(path, JsonSerializer.SerializeToUtf8Bytes(value, type), readableByAll);
    }

    /// <summary>
    /// A machine-wide file (install --system): mode 640, group <paramref name="group"/>, so that the accounts in
    /// that group (the pupils the browser runs as) can read it and nobody else can. Windows: the folder's ACL decides.
    /// </summary>
    public static void WriteForGroup<T>(string path, T value, JsonTypeInfo<T> type, string? group)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (!OperatingSystem.IsWindows())
        {
            // Everyone may pass through the folder; only the files' group may read them.
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }

        // Made readable by its owner only; the group first, then the mode: never readable by a group it was not meant for.
        WriteAtomically(path, JsonSerializer.SerializeToUtf8Bytes(value, type), readableByAll: OperatingSystem.IsWindows());
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        if (group is not null)
        {
            ChangeGroup(path, group);
        }

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
    }

    // .NET has no chgrp; the installer runs once, as root, so the system's own command is used.
    private static void ChangeGroup(string path, string group)
    {
        var start = new System.Diagnostics.ProcessStartInfo("chgrp") { RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(group);
        start.ArgumentList.Add(path);
        using var process = System.Diagnostics.Process.Start(start) ?? throw new IOException("chgrp did not start");
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new IOException($"cannot give {path} to group '{group}': {error.Trim()}");
        }
    }

    /// <summary>Writes to a temporary file, flushes it to disk, then renames it over the target.</summary>
    public static void WriteAtomically(string path, ReadOnlySpan<byte> bytes, bool readableByAll = false)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (readableByAll)
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            CreatePrivateDirectory(directory);
        }

        // A name of its own: two host processes saving the same file at once must not write into one temporary file.
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite
                | (readableByAll ? UnixFileMode.GroupRead | UnixFileMode.OtherRead : UnixFileMode.None);
        }

        try
        {
            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>
    /// Creates a private file with these bytes unless it exists already (another host process may be creating
    /// it at the same moment: exactly one wins). True when this call created it.
    /// </summary>
    public static bool CreateOnce(string path, ReadOnlySpan<byte> bytes)
    {
        CreatePrivateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        // A name of its own, so that a racing process never writes into this one's temporary file.
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            // Without overwrite the move fails when the file exists (a hard link on Unix: atomic).
            File.Move(temporary, path, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            return false;
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public static void CreatePrivateDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
