using System.Security.Cryptography;
using eSafe.Server.Security;
using Npgsql;

namespace eSafe.Server.Storage.Postgres;

/// <summary>
/// Ties a database to the folder its screenshots are kept in (<c>--screenshots</c>): the database's <c>meta</c> table and a
/// <c>.esafe-database</c> file in the folder hold the same random ID. A server given no folder, or another database's,
/// or an empty one where the database already has screenshots in files, refuses to start rather than lose them.
/// </summary>
internal static class ScreenshotFolderBinding
{
    public const string FileName = ".esafe-database";
    public const string MetaId = "screenshot-folder";

    public static void Check(PostgresDatabase database, string? folder)
    {
        using var connection = database.Source.OpenConnection();
        if (folder is null)
        {
            if (HasFiledScreenshots(connection))
            {
                throw new ServerSetupException($"The database {database.Description} keeps its screenshots in a folder of files: give that folder "
                    + "(--screenshots DIR, or $ESAFE_SCREENSHOTS_DIR).");
            }

            return;
        }

        SecureFiles.CreatePrivateDirectory(folder);
        var file = Path.Combine(folder, FileName);
        var fromFile = File.Exists(file) ? Hex(File.ReadAllText(file).Trim(), file) : null;
        if (fromFile is null)
        {
            // A folder new to this database: it takes the database's ID (made now if it has none), unless the database has
            // screenshots in files already, which must then be in another folder.
            using (var insert = connection.Sql("INSERT INTO meta (id, blob) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING", MetaId, RandomNumberGenerator.GetBytes(16)))
            {
                insert.ExecuteNonQuery();
            }

            if (HasFiledScreenshots(connection))
            {
                throw new ServerSetupException($"The screenshot folder {folder} is not the one the database {database.Description} keeps its screenshots "
                    + $"in (it has no {FileName}): give that folder, or restore it here.");
            }

            try
            {
                using var written = new FileStream(file, SecureFiles.NewPrivateFile(FileMode.CreateNew, FileAccess.Write, FileShare.Read));
                written.Write(System.Text.Encoding.ASCII.GetBytes(IdOf(connection) + "\n"));
                written.Flush(flushToDisk: true);
                return;
            }
            catch (IOException) when (File.Exists(file))
            {
                // Another process sharing the folder wrote it first: it must say the same.
                fromFile = Hex(File.ReadAllText(file).Trim(), file);
            }
        }

        // A folder another database used holds that database's segments, which this one's retention would remove.
        if (!string.Equals(fromFile, IdOf(connection), StringComparison.OrdinalIgnoreCase))
        {
            throw new ServerSetupException($"The screenshot folder {folder} belongs to another database ({FileName} does not match "
                + $"{database.Description}): give this database's folder.");
        }
    }

    private static string? IdOf(NpgsqlConnection connection)
    {
        using var select = connection.Sql("SELECT blob FROM meta WHERE id = $1", MetaId);
        return select.ExecuteScalar() is byte[] id ? Convert.ToHexString(id) : null;
    }

    private static string Hex(string text, string file) => text.Length == 32 && text.All(Uri.IsHexDigit)
        ? text
        : throw new ServerSetupException($"{file} is not an eSafe screenshot folder's ID: restore it, or give the folder this database's screenshots are in.");

    private static bool HasFiledScreenshots(NpgsqlConnection connection)
    {
        using var command = connection.Sql("SELECT EXISTS (SELECT 1 FROM screenshots WHERE segment IS NOT NULL)");
        return (bool)command.ExecuteScalar()!;
    }
}
