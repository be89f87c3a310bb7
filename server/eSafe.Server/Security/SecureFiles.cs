namespace eSafe.Server.Security;

/// <summary>Files and folders that only the server's own user may read: keys, the database, demo credentials.</summary>
public static class SecureFiles
{
    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates a folder (mode 700) if it is missing; an existing folder keeps its mode.</summary>
    public static void CreatePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, PrivateDirectory);
        }
    }

    /// <summary>Options that create a new file with mode 600.</summary>
    public static FileStreamOptions NewPrivateFile(FileMode mode = FileMode.CreateNew, FileAccess access = FileAccess.Write,
        FileShare share = FileShare.None)
    {
        var options = new FileStreamOptions { Mode = mode, Access = access, Share = share };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = PrivateFile;
        }

        return options;
    }

    /// <summary>Writes a whole file (mode 600) through a temporary file, so a reader never sees half of it.</summary>
    /// <param name="overwrite">False to refuse when the file exists already (keys are never replaced).</param>
    public static void Write(string path, ReadOnlySpan<byte> content, bool overwrite)
    {
        var temp = path + ".tmp-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6));
        try
        {
            using (var stream = new FileStream(temp, NewPrivateFile()))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>True when a file's mode lets only its owner read it (always true on Windows).</summary>
    public static bool IsPrivate(string path) =>
        OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & ~PrivateFile) == 0;
}
