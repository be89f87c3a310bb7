using System.Globalization;
using System.Security.Cryptography;
using eSafe.Server.Security;
using eSafe.Server.Storage.Files;
using eSafe.Server.Storage.LiteDb;
using eSafe.Server.Storage.Postgres;
using LiteDB;
using LiteDB.Engine;

namespace eSafe.Server.Storage;

/// <summary>
/// The server's data folder, opened by one process at a time (a lock file says so):
/// <code>
/// esafe.db            LiteDB, opened with the password in the keys folder; inside it, what queries need in the
///                     clear and the rest encrypted by the application with the data key
/// esafe-log.db        LiteDB's log of commits not yet copied into esafe.db
/// screenshots/        mode 700: the screenshots, encrypted with their school's month key, in append-only segment
///   SCHOOL/yyyy-MM/   files (000001.seg, …; mode 600) that esafe.db's screenshots collection points into
///                     (<see cref="Files.ScreenshotSegments"/>); part of the data, so part of every backup
/// keys/               mode 700; or a folder of its own (serve --keys DIR, ESAFE_KEYS_DIR), so that a copy of
///                     the data folder alone opens nothing
///   sealing-k1.pem    the P-256 private keys devices seal incidents to (k2, k3, … after a rotation; mode 600)
///   data.key          the 32-byte AES-256-GCM data key (data-k2.key, … after a rotation; mode 600)
///   database.password the LiteDB file's password (mode 600)
///   data-protection/  ASP.NET Core's cookie keys, encrypted with the data key
/// demo.json           with --demo: the demo school's enrolment code and the demo analyst's password (mode 600)
/// </code>
/// With <c>--database</c> the data is kept in PostgreSQL instead of esafe.db and screenshots/, and the folder keeps the keys and demo.json;
/// the screenshots are kept in the database too, or in a folder its server processes share (<c>--screenshots</c>).
/// Keys are made on first start; a database without its keys refuses to open rather than make new ones. A database
/// from before it had a password is given one (rebuilt, nothing lost) on its first start.
/// </summary>
public sealed class DataFolder : IDisposable
{
    public const string DatabaseFileName = "esafe.db";
    public const string LockFileName = "esafe.lock";
    public const string DemoFileName = "demo.json";
    internal const string KeyCheckPurpose = "data-key-check";
    private readonly FileStream _lock;

    private readonly LiteDatabase? _database;
    private readonly ScreenshotSegments? _screenshots;

    private DataFolder(string root, string keys, FileStream lockFile, AtRestCipher cipher, SealingKeyRing sealingKeys, LiteDatabase? database,
        PostgresDatabase? postgres, ScreenshotSegments? screenshots)
    {
        Root = root;
        KeysDirectory = keys;
        _lock = lockFile;
        Cipher = cipher;
        SealingKeys = sealingKeys;
        _database = database;
        _screenshots = screenshots;
        Postgres = postgres;
    }

    public string Root { get; }
    /// <summary>The keys folder: <c>keys/</c> in the data folder, or the folder given to <see cref="Open"/>.</summary>
    public string KeysDirectory { get; }
    public string DataProtectionDirectory => Path.Combine(KeysDirectory, "data-protection");
    public string DatabasePath => Path.Combine(Root, DatabaseFileName);
    public string DemoFilePath => Path.Combine(Root, DemoFileName);
    public AtRestCipher Cipher { get; }
    public SealingKeyRing SealingKeys { get; }

    /// <summary>The one LiteDB connection to this folder's database in this process; only when the data is not in PostgreSQL.</summary>
    public LiteDatabase Database => _database
        ?? throw new InvalidOperationException($"This server keeps its data in {Postgres?.Description}, not in {DatabaseFileName}.");

    /// <summary>
    /// The screenshot files: beside <see cref="Database"/>, or the folder a PostgreSQL database's server processes share
    /// (<c>--screenshots</c>); only when <see cref="HasScreenshotFiles"/>.
    /// </summary>
    public ScreenshotSegments ScreenshotFiles => _screenshots
        ?? throw new InvalidOperationException($"This server keeps its screenshots in {Postgres?.Description}, not in files.");

    /// <summary>False for a PostgreSQL database that keeps its screenshots itself.</summary>
    public bool HasScreenshotFiles => _screenshots is not null;

    /// <summary>The shared PostgreSQL database, when the server was given one (<c>--database</c>); null for the LiteDB file.</summary>
    public PostgresDatabase? Postgres { get; }

    /// <param name="path">The data folder.</param>
    /// <param name="keysDirectory">Where the keys are kept when not in <c>keys/</c> inside the data folder.</param>
    /// <param name="connectionString">
    /// A PostgreSQL connection string: the data is kept there (the folder keeps the keys and demo.json); null for the LiteDB file.
    /// </param>
    /// <param name="screenshotsDirectory">
    /// With a PostgreSQL database, the folder (shared by its server processes) to keep screenshots in rather than the database.
    /// </param>
    public static DataFolder Open(string path, string? keysDirectory = null, string? connectionString = null, string? screenshotsDirectory = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var root = Path.GetFullPath(path);
        SecureFiles.CreatePrivateDirectory(root);
        FileStream lockFile;
        try
        {
            lockFile = new FileStream(Path.Combine(root, LockFileName),
                SecureFiles.NewPrivateFile(FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException e)
        {
            throw new ServerSetupException($"The data folder {path} is in use by another eSafe server (or command): stop it first.", e);
        }

        try
        {
            var keys = string.IsNullOrWhiteSpace(keysDirectory) ? Path.Combine(root, "keys") : Path.GetFullPath(keysDirectory);
            SecureFiles.CreatePrivateDirectory(keys);
            if (!string.IsNullOrWhiteSpace(connectionString))
            {
                return OpenPostgres(root, keys, lockFile, connectionString,
                    string.IsNullOrWhiteSpace(screenshotsDirectory) ? null : Path.GetFullPath(screenshotsDirectory));
            }

            if (!string.IsNullOrWhiteSpace(screenshotsDirectory))
            {
                throw new ServerSetupException($"A folder of screenshots ({screenshotsDirectory}) is for servers sharing a PostgreSQL database (--database): "
                    + $"this one keeps its screenshots in {Path.Combine(root, ScreenshotSegments.FolderName)}.");
            }

            var databasePath = Path.Combine(root, DatabaseFileName);
            var isNew = !File.Exists(databasePath) || new FileInfo(databasePath).Length == 0;
            var cipher = AtRestCipher.Load(keys, mayCreate: isNew);
            var sealingKeys = SealingKeyRing.Load(keys, mayCreate: isNew);
            SecureFiles.CreatePrivateDirectory(Path.Combine(keys, "data-protection"));
            var password = DatabasePassword.Load(keys, mayCreate: isNew || DatabasePassword.IsUnencrypted(databasePath));
            // LiteDB takes an empty file as a new database (and an empty log as no log): making them first gives them mode 600.
            foreach (var file in new[] { databasePath, Path.Combine(root, "esafe-log.db") })
            {
                if (!File.Exists(file))
                {
                    new FileStream(file, SecureFiles.NewPrivateFile()).Dispose();
                }
            }

            var collation = new Collation(CultureInfo.InvariantCulture.LCID, CompareOptions.Ordinal);
            DatabasePassword.EncryptIfUnencrypted(databasePath, password, collation);
            var settings = new EngineSettings { Filename = databasePath, Password = password, Collation = collation };
            LiteDatabase database;
            try
            {
                database = new LiteDatabase(new ReopeningEngine(() => new LiteEngine(settings)));
            }
            catch (LiteException e)
            {
                throw new ServerSetupException(
                    $"The database {databasePath} does not open with the password in the keys folder ({e.Message}): restore the keys folder that belongs to it.", e);
            }

            try
            {
                CheckDataKey(database, cipher);
            }
            catch
            {
                database.Dispose();
                throw;
            }

            return new DataFolder(root, keys, lockFile, cipher, sealingKeys, database, postgres: null,
                new ScreenshotSegments(Path.Combine(root, ScreenshotSegments.FolderName)));
        }
        catch
        {
            lockFile.Dispose();
            throw;
        }
    }

    // Keys are made only for a database no server has used yet; one that has been used refuses other keys.
    private static DataFolder OpenPostgres(string root, string keys, FileStream lockFile, string connectionString, string? screenshots)
    {
        var postgres = PostgresDatabase.Open(connectionString);
        try
        {
            var isNew = !postgres.HasData();
            var cipher = AtRestCipher.Load(keys, mayCreate: isNew);
            var sealingKeys = SealingKeyRing.Load(keys, mayCreate: isNew);
            SecureFiles.CreatePrivateDirectory(Path.Combine(keys, "data-protection"));
            postgres.CheckDataKey(cipher);
            ScreenshotFolderBinding.Check(postgres, screenshots);
            return new DataFolder(root, keys, lockFile, cipher, sealingKeys, database: null, postgres,
                screenshots is null ? null : new ScreenshotSegments(screenshots));
        }
        catch
        {
            postgres.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        _database?.Dispose();
        _screenshots?.Dispose();
        Postgres?.Dispose();
        _lock.Dispose();
    }

    // A blob made with the data key on first start: a later start with another key file fails here, not on the first incident.
    private static void CheckDataKey(LiteDatabase database, AtRestCipher cipher)
    {
        var meta = database.GetCollection("meta");
        var check = meta.FindById(KeyCheckPurpose);
        if (check is null)
        {
            meta.Insert(new BsonDocument { ["_id"] = KeyCheckPurpose, ["blob"] = cipher.Encrypt("eSafe"u8, KeyCheckPurpose) });
            return;
        }

        try
        {
            cipher.Decrypt(check["blob"].AsBinary, KeyCheckPurpose);
        }
        catch (CryptographicException e)
        {
            throw new ServerSetupException("keys/data.key is not the key this database was made with: restore the right keys folder.", e);
        }
    }
}
