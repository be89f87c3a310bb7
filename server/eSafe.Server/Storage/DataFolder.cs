using System.Globalization;
using System.Security.Cryptography;
using eSafe.Server.Security;
using LiteDB;

namespace eSafe.Server.Storage;

/// <summary>
/// The server's data folder, opened by one process at a time (a lock file says so):
/// <code>
/// esafe.db            LiteDB: what queries need in the clear, the rest encrypted by the application
/// keys/               mode 700
///   sealing-k1.pem    the P-256 private key devices seal incidents to (mode 600)
///   data.key          the 32-byte AES-256-GCM key for data at rest (mode 600)
///   data-protection/  ASP.NET Core's cookie keys, encrypted with the data key
/// demo.json           with --demo: the demo school's enrolment code and the demo analyst's password (mode 600)
/// </code>
/// Keys are made on first start; a database without its keys refuses to open rather than make new ones.
/// </summary>
public sealed class DataFolder : IDisposable
{
    public const string DatabaseFileName = "esafe.db";
    public const string LockFileName = "esafe.lock";
    public const string DemoFileName = "demo.json";
    private const string KeyCheckPurpose = "data-key-check";
    private readonly FileStream _lock;

    private DataFolder(string root, FileStream lockFile, AtRestCipher cipher, SealingKeyRing sealingKeys, LiteDatabase database)
    {
        Root = root;
        _lock = lockFile;
        Cipher = cipher;
        SealingKeys = sealingKeys;
        Database = database;
    }

    public string Root { get; }
    public string KeysDirectory => Path.Combine(Root, "keys");
    public string DataProtectionDirectory => Path.Combine(KeysDirectory, "data-protection");
    public string DatabasePath => Path.Combine(Root, DatabaseFileName);
    public string DemoFilePath => Path.Combine(Root, DemoFileName);
    public AtRestCipher Cipher { get; }
    public SealingKeyRing SealingKeys { get; }

    /// <summary>The one LiteDB connection to this folder's database in this process.</summary>
    public LiteDatabase Database { get; }

    public static DataFolder Open(string path)
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
            var keys = Path.Combine(root, "keys");
            SecureFiles.CreatePrivateDirectory(keys);
            var databasePath = Path.Combine(root, DatabaseFileName);
            var isNew = !File.Exists(databasePath) || new FileInfo(databasePath).Length == 0;
            var cipher = AtRestCipher.Load(keys, mayCreate: isNew);
            var sealingKeys = SealingKeyRing.Load(keys, mayCreate: isNew);
            SecureFiles.CreatePrivateDirectory(Path.Combine(keys, "data-protection"));
            // LiteDB takes an empty file as a new database (and an empty log as no log): making them first gives them mode 600.
            foreach (var file in new[] { databasePath, Path.Combine(root, "esafe-log.db") })
            {
                if (!File.Exists(file))
                {
                    new FileStream(file, SecureFiles.NewPrivateFile()).Dispose();
                }
            }

            var database = new LiteDatabase(new ConnectionString
            {
                Filename = databasePath,
                Connection = ConnectionType.Direct,
                Collation = new Collation(CultureInfo.InvariantCulture.LCID, CompareOptions.Ordinal),
            });
            try
            {
                CheckDataKey(database, cipher);
            }
            catch
            {
                database.Dispose();
                throw;
            }

            return new DataFolder(root, lockFile, cipher, sealingKeys, database);
        }
        catch
        {
            lockFile.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        Database.Dispose();
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
