using System.Security.Cryptography;
using System.Text;

namespace eSafe.Host.Configuration;

/// <summary>
/// The school's user-ID key in a small text file: 32 random bytes in base64 under a comment. The school's
/// admin makes it and keeps it; devices get it at install or by Chrome policy; the eSafe server never does.
/// </summary>
public static class SchoolKeyFile
{
    public const int KeyBytes = 32;

    /// <summary>Makes a new key file readable by its owner only; never overwrites one (that would orphan every ID made with it).</summary>
    public static void Create(string path)
    {
        var key = RandomNumberGenerator.GetBytes(KeyBytes);
        var text = "# eSafe school user-ID key. Keep it: only with it can the school match a user ID to a pupil.\n"
            + "# Give it to devices (esafe-host install --user-id-key-file, or Chrome policy userIdKey); never to eSafe.\n"
            + Convert.ToBase64String(key) + "\n";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(path, options);
        stream.Write(Encoding.UTF8.GetBytes(text));
        stream.Flush(flushToDisk: true);
        CryptographicOperations.ZeroMemory(key);
    }

    /// <summary>The key in a file made by <see cref="Create"/>; throws <see cref="InvalidDataException"/> saying what is wrong.</summary>
    public static byte[] Read(string path)
    {
        var line = File.ReadAllLines(path).Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0 && !l.StartsWith('#'));
        return Parse(line) ?? throw new InvalidDataException($"{path} holds no school key (one line of base64 for {KeyBytes} bytes, as esafe-host school-key new writes)");
    }

    /// <summary>A key in base64 (as the file and Chrome policy hold it), or null when it is not one.</summary>
    public static byte[]? Parse(string? base64)
    {
        if (base64 is null || base64.Length != 44)
        {
            return null;
        }

        var key = new byte[KeyBytes];
        return Convert.TryFromBase64String(base64, key, out var written) && written == KeyBytes ? key : null;
    }
}
