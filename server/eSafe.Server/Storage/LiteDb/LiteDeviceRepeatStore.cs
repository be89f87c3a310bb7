using System.Buffers.Binary;
using LiteDB;

namespace eSafe.Server.Storage.LiteDb;

/// <summary>Each Chromebook's recent hits as one document: 16 bytes of hash and 8 of Unix milliseconds an entry.</summary>
public sealed class LiteDeviceRepeatStore : IDeviceRepeatStore
{
    private const int EntryBytes = 24;
    private readonly ILiteCollection<BsonDocument> _repeats;

    public LiteDeviceRepeatStore(DataFolder data)
    {
        ArgumentNullException.ThrowIfNull(data);
        _repeats = data.Database.GetCollection("deviceRepeats");
    }

    public IReadOnlyDictionary<UInt128, DateTimeOffset> Load(string deviceId)
    {
        var seen = new Dictionary<UInt128, DateTimeOffset>();
        if (_repeats.FindById(deviceId)?["seen"] is { IsBinary: true } value)
        {
            var bytes = value.AsBinary;
            for (var at = 0; at + EntryBytes <= bytes.Length; at += EntryBytes)
            {
                seen[BinaryPrimitives.ReadUInt128BigEndian(bytes.AsSpan(at, 16))] =
                    DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(at + 16, 8)));
            }
        }

        return seen;
    }

    public void Save(string deviceId, IReadOnlyDictionary<UInt128, DateTimeOffset> seen)
    {
        ArgumentNullException.ThrowIfNull(seen);
        var bytes = new byte[seen.Count * EntryBytes];
        var at = 0;
        foreach (var (hash, when) in seen)
        {
            BinaryPrimitives.WriteUInt128BigEndian(bytes.AsSpan(at, 16), hash);
            BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(at + 16, 8), when.ToUnixTimeMilliseconds());
            at += EntryBytes;
        }

        _repeats.Upsert(new BsonDocument { ["_id"] = deviceId, ["seen"] = bytes });
    }
}
