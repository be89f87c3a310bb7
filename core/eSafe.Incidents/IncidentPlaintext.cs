using System.Buffers.Binary;
using System.Text.Json;

namespace eSafe.Incidents;

/// <summary>
/// What a version 2 envelope seals (docs/PROTOCOL.md §2, "Envelope version 2"): a 4-byte big-endian length and the
/// incident's JSON without its screenshot, then a 4-byte big-endian length and the JPEG's own bytes (length 0: no
/// screenshot), and nothing after. Neither side base64-encodes the screenshot.
/// </summary>
public static class IncidentPlaintext
{
    private const int LengthSize = 4;

    public static byte[] Write(Incident incident)
    {
        ArgumentNullException.ThrowIfNull(incident);
        var json = JsonSerializer.SerializeToUtf8Bytes(incident with { Screenshot = null }, IncidentJson.Default.Incident);
        var jpeg = incident.Screenshot ?? [];
        var plaintext = new byte[LengthSize + json.Length + LengthSize + jpeg.Length];
        var span = plaintext.AsSpan();
        BinaryPrimitives.WriteUInt32BigEndian(span, (uint)json.Length);
        json.CopyTo(span[LengthSize..]);
        BinaryPrimitives.WriteUInt32BigEndian(span[(LengthSize + json.Length)..], (uint)jpeg.Length);
        jpeg.CopyTo(span[(LengthSize + json.Length + LengthSize)..]);
        return plaintext;
    }

    /// <summary>The incident, its screenshot copied out of <paramref name="plaintext"/>; null and a problem when it is not one.</summary>
    public static Incident? Read(ReadOnlySpan<byte> plaintext, out string? problem)
    {
        // Both lengths must fit before either is read (found by the fuzzer: 4 to 7 bytes made the room left negative).
        if (plaintext.Length < LengthSize + LengthSize)
        {
            problem = "the sealed content is shorter than its JSON's length and its screenshot's";
            return null;
        }

        var jsonLength = BinaryPrimitives.ReadUInt32BigEndian(plaintext);
        if (jsonLength > (uint)(plaintext.Length - LengthSize - LengthSize))
        {
            problem = "the sealed content's JSON length runs past its end";
            return null;
        }

        var json = plaintext.Slice(LengthSize, (int)jsonLength);
        var rest = plaintext[(LengthSize + (int)jsonLength)..];
        var jpegLength = BinaryPrimitives.ReadUInt32BigEndian(rest);
        if (jpegLength != (uint)(rest.Length - LengthSize))
        {
            problem = jpegLength > (uint)(rest.Length - LengthSize)
                ? "the sealed content's screenshot length runs past its end"
                : "bytes follow the sealed content's screenshot";
            return null;
        }

        Incident? incident;
        try
        {
            incident = JsonSerializer.Deserialize(json, IncidentJson.Default.Incident);
        }
        catch (JsonException e)
        {
            var where = string.IsNullOrEmpty(e.Path) ? "" : $" (at {e.Path})";
            problem = $"the sealed content is not an incident{where}";
            return null;
        }

        problem = incident is null ? "the sealed content is not an incident"
            : incident.Screenshot is not null ? "the sealed JSON holds a screenshot; version 2 carries it as bytes after the JSON"
            : null;
        return problem is null ? incident! with { Screenshot = jpegLength == 0 ? null : rest[LengthSize..].ToArray() } : null;
    }
}
