namespace eSafe.Server.Extension;

/// <summary>
/// The few protocol-buffer pieces a CRX3 header needs (length-delimited fields only), written and read by
/// hand: the header is three small messages, not worth a code generator.
/// </summary>
internal static class Protobuf
{
    private const int LengthDelimited = 2;

    /// <summary>Appends field <paramref name="number"/> holding <paramref name="value"/> (bytes or an embedded message).</summary>
    public static void WriteBytes(Stream output, int number, ReadOnlySpan<byte> value)
    {
        WriteVarint(output, ((ulong)number << 3) | LengthDelimited);
        WriteVarint(output, (ulong)value.Length);
        output.Write(value);
    }

    /// <summary>The length-delimited fields of a message, in order; throws <see cref="InvalidDataException"/> on anything else.</summary>
    public static IEnumerable<(int Number, ReadOnlyMemory<byte> Value)> ReadFields(ReadOnlyMemory<byte> message)
    {
        var position = 0;
        while (position < message.Length)
        {
            var key = ReadVarint(message.Span, ref position);
            if ((key & 7) != LengthDelimited)
            {
                throw new InvalidDataException($"unexpected protobuf wire type {key & 7}");
            }

            var length = ReadVarint(message.Span, ref position);
            if (length > (ulong)(message.Length - position))
            {
                throw new InvalidDataException("a protobuf field runs past the end of its message");
            }

            yield return ((int)(key >> 3), message.Slice(position, (int)length));
            position += (int)length;
        }
    }

    private static void WriteVarint(Stream output, ulong value)
    {
        while (value >= 0x80)
        {
            output.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        output.WriteByte((byte)value);
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> data, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (position >= data.Length)
            {
                throw new InvalidDataException("a protobuf varint runs past the end of its message");
            }

            var b = data[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new InvalidDataException("a protobuf varint is too long");
    }
}
