using LiteDB;

namespace eSafe.Server.Storage.LiteDb;

/// <summary>Times are kept as Unix milliseconds (LiteDB would turn a DateTime into local time).</summary>
internal static class Bson
{
    public static BsonValue Time(DateTimeOffset at) => new(at.ToUnixTimeMilliseconds());

    public static DateTimeOffset Time(BsonValue value) => DateTimeOffset.FromUnixTimeMilliseconds(value.AsInt64);

    public static BsonValue Text(string? value) => value is null ? BsonValue.Null : new BsonValue(value);

    public static string? Text(BsonValue value) => value.IsNull ? null : value.AsString;
}
