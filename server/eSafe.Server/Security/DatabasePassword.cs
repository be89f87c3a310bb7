using System.Security.Cryptography;
using System.Text;
using LiteDB;
using LiteDB.Engine;

namespace eSafe.Server.Security;

/// <summary>
/// The LiteDB file's password, a random secret in the keys folder (<c>database.password</c>, mode 600), made on
/// first start. LiteDB's own encryption is weak (AES-ECB, PBKDF2-SHA1 with 1,000 rounds, no integrity): it is a
/// second layer over the application's AES-256-GCM, so that the file alone shows nothing, not the protection itself.
/// </summary>
public static class DatabasePassword
{
    public const string FileName = "database.password";

    // A LiteDB 5 data file in the clear says so in its first page; an encrypted one starts with its salt.
    private static readonly byte[] PlainHeader = Encoding.ASCII.GetBytes("** This is a LiteDB file **");

    public static string Load(string keysDirectory, bool mayCreate)
    {
        var path = Path.Combine(keysDirectory, FileName);
        if (!File.Exists(path))
        {
            if (!mayCreate)
            {
                throw new ServerSetupException(
                    $"There is no database password (keys/{FileName}) but the database is encrypted: restore the keys folder from its backup.");
            }

            SecureFiles.Write(path, Encoding.ASCII.GetBytes(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) + "\n"), overwrite: false);
        }

        var password = File.ReadAllText(path).Trim();
        return password.Length >= 16 ? password : throw new ServerSetupException($"keys/{FileName} is empty or too short.");
    }

    /// <summary>True for an existing LiteDB file that has no password (one made before the server gave it one).</summary>
    public static bool IsUnencrypted(string databasePath)
    {
        if (!File.Exists(databasePath))
        {
            return false;
        }

        Span<byte> head = stackalloc byte[128];
        using var file = File.OpenRead(databasePath);
        var read = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        return head[..read].IndexOf(PlainHeader) >= 0;
    }

    /// <summary>Gives a database from before it had a password its password: LiteDB rebuilds it into an encrypted file, nothing lost.</summary>
    public static void EncryptIfUnencrypted(string databasePath, string password, Collation collation)
    {
        if (!IsUnencrypted(databasePath))
        {
            return;
        }

        var plain = new LiteDatabase(new ConnectionString { Filename = databasePath, Connection = ConnectionType.Direct, Collation = collation });
        try
        {
            plain.Checkpoint();
            plain.Rebuild(new RebuildOptions { Password = password, Collation = collation });
        }
        catch (LiteException) when (!IsUnencrypted(databasePath))
        {
            // LiteDB rebuilt the file with the password, then tried to go on without one: the file is done.
        }
        finally
        {
            DisposeQuietly(plain);
        }

        if (IsUnencrypted(databasePath))
        {
            throw new ServerSetupException($"The database {databasePath} could not be given its password; it is unchanged.");
        }

        // The rebuild leaves a backup of the clear file beside it: it must not stay.
        foreach (var backup in Directory.GetFiles(Path.GetDirectoryName(databasePath)!, Path.GetFileNameWithoutExtension(databasePath) + "-backup*"))
        {
            File.Delete(backup);
        }
    }

    private static void DisposeQuietly(LiteDatabase database)
    {
        try
        {
            database.Dispose();
        }
        catch (LiteException)
        {
            // Its engine did not reopen after the rebuild: there is nothing left to close.
        }
    }
}
