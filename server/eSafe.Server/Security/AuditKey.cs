using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace eSafe.Server.Security;

/// <summary>
/// The key the audit log's lines and anchors are keyed with (HMAC-SHA256), in <c>keys/audit.key</c>, outside the
/// database: someone who can change the database but not read the keys cannot make a changed line look right.
/// </summary>
public sealed class AuditKey
{
    public const string FileName = "audit.key";
    private readonly byte[] _key;

    private AuditKey(byte[] key) => _key = key;

    /// <summary>Reads the key, or makes one when there is none and <paramref name="mayCreate"/>; null when there is none and it may not.</summary>
    public static AuditKey? Load(string keysDirectory, bool mayCreate)
    {
        var path = Path.Combine(keysDirectory, FileName);
        if (!File.Exists(path))
        {
            if (!mayCreate)
            {
                return null;
            }

            var created = RandomNumberGenerator.GetBytes(32);
            SecureFiles.Write(path, Encoding.ASCII.GetBytes(Convert.ToBase64String(created) + "\n"), overwrite: false);
            CryptographicOperations.ZeroMemory(created);
        }

        try
        {
            var key = Convert.FromBase64String(File.ReadAllText(path).Trim());
            return key.Length == 32 ? new AuditKey(key) : throw new ServerSetupException($"keys/{FileName} is not a 32-byte key in base64.");
        }
        catch (FormatException e)
        {
            throw new ServerSetupException($"keys/{FileName} is not a 32-byte key in base64.", e);
        }
    }

    /// <summary>HMAC-SHA256 over the fields, each length-prefixed so that no two different lists give the same text.</summary>
    public string Mac(params string?[] fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var text = new StringBuilder();
        foreach (var field in fields)
        {
            text.Append(field is null ? "-1" : field.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(field).Append('\n');
        }

        return Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(text.ToString())));
    }

    public static bool Same(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(a), Encoding.ASCII.GetBytes(b));
}
