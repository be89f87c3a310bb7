using System.Text;
using System.Text.Json.Nodes;

namespace eSafe.Host.Tests.Fuzzing;

/// <summary>
/// Spoils valid inputs the ways a broken or hostile peer would: bit flips, bytes overwritten, inserted and
/// cut, a frame's length field set to telling values, and JSON values swapped for another type. Seeded, so
/// a failure is repeated by its seed.
/// </summary>
internal sealed class Mutator(int seed)
{
    private static readonly uint[] Lengths = [0, 1, 3, 4, 255, 65_536, 1_048_576, 8 * 1024 * 1024, 8 * 1024 * 1024 + 1,
        64 * 1024 * 1024, 64 * 1024 * 1024 + 1, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF];

    private static readonly JsonNode?[] Swaps = [null, 0, -1, 1e308, true, "", "\u0000", new string('x', 70_000), "\uD800", new JsonArray(),
        new JsonObject(), new JsonArray(new JsonArray(new JsonArray())), "9999999999999999999999", "2100-01-01T00:00:00Z"];

    private readonly Random _random = new(seed);

    public int Next(int max) => _random.Next(max);

    /// <summary>One to three byte-level changes.</summary>
    public byte[] Bytes(byte[] input)
    {
        var bytes = input.ToList();
        for (var n = 1 + _random.Next(3); n > 0; n--)
        {
            switch (_random.Next(6))
            {
                case 0 when bytes.Count > 0:
                    var at = _random.Next(bytes.Count);
                    bytes[at] ^= (byte)(1 << _random.Next(8));
                    break;
                case 1 when bytes.Count > 0:
                    bytes[_random.Next(bytes.Count)] = (byte)_random.Next(256);
                    break;
                case 2:
                    bytes.RemoveRange(_random.Next(bytes.Count + 1) is var cut ? Math.Min(cut, bytes.Count) : 0,
                        bytes.Count - Math.Min(cut, bytes.Count));
                    break;
                case 3:
                    var insert = new byte[1 + _random.Next(16)];
                    _random.NextBytes(insert);
                    bytes.InsertRange(_random.Next(bytes.Count + 1), insert);
                    break;
                case 4 when bytes.Count > 8:
                    var from = _random.Next(bytes.Count - 4);
                    bytes.InsertRange(_random.Next(bytes.Count), bytes.GetRange(from, 1 + _random.Next(Math.Min(64, bytes.Count - from))));
                    break;
                default:
                    if (bytes.Count > 0)
                    {
                        bytes.RemoveAt(_random.Next(bytes.Count));
                    }

                    break;
            }
        }

        return [.. bytes];
    }

    /// <summary>A frame stream with one frame's length field set to a telling value.</summary>
    public byte[] Length(byte[] frames, IReadOnlyList<int> headerOffsets)
    {
        var bytes = (byte[])frames.Clone();
        var at = headerOffsets[_random.Next(headerOffsets.Count)];
        var length = _random.Next(3) == 0
            ? (uint)Math.Max(0, BitConverter.ToUInt32(bytes, at) + _random.Next(-2, 3))
            : Lengths[_random.Next(Lengths.Length)];
        BitConverter.GetBytes(length).CopyTo(bytes, at);
        return bytes;
    }

    /// <summary>The JSON with one value (anywhere in it) replaced by a value of another type, or removed.</summary>
    public string Json(string json)
    {
        var root = JsonNode.Parse(json)!;
        var places = new List<(JsonNode Parent, object Key)>();
        Collect(root, places);
        if (places.Count == 0)
        {
            return json;
        }

        var (parent, key) = places[_random.Next(places.Count)];
        var swap = Swaps[_random.Next(Swaps.Length)]?.DeepClone();
        switch (parent, key)
        {
            case (JsonObject o, string name) when _random.Next(4) == 0:
                o.Remove(name);
                break;
            case (JsonObject o, string name):
                o[name] = swap;
                break;
            case (JsonArray a, int index):
                a[index] = swap;
                break;
        }

        return root.ToJsonString();
    }

    private static void Collect(JsonNode node, List<(JsonNode, object)> places)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (name, value) in o.ToList())
                {
                    places.Add((o, name));
                    if (value is not null)
                    {
                        Collect(value, places);
                    }
                }

                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    places.Add((a, i));
                    if (a[i] is { } value)
                    {
                        Collect(value, places);
                    }
                }

                break;
        }
    }

    public static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);
}
