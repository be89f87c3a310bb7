using System.Globalization;
using eSafe.Server.Security;
using eSafe.Server.Storage;
using LiteDB;

namespace eSafe.Server.Tests.Support;

/// <summary>A stopped server's LiteDB file opened directly, with the password from its keys folder: what someone with both could edit.</summary>
public static class DataFolderDatabase
{
    public static LiteDatabase Open(string dataDirectory) => new(new ConnectionString
    {
        Filename = Path.Combine(dataDirectory, DataFolder.DatabaseFileName),
        Connection = ConnectionType.Direct,
        Password = File.ReadAllText(Path.Combine(dataDirectory, "keys", DatabasePassword.FileName)).Trim(),
        Collation = new Collation(CultureInfo.InvariantCulture.LCID, CompareOptions.Ordinal),
    });
}
