using System.Buffers.Binary;

namespace eSafe.Host.Messaging;

/// <summary>Why a frame could not be read; the connection cannot continue after one.</summary>
public sealed class FramingException(string message) : Exception(message);

/// <summary>
/// Reads native messaging frames: a 32-bit native-endian length, then that many bytes of UTF-8 JSON.
/// </summary>
public sealed class FrameReader(Stream input, int maxFrameBytes)
{
    private readonly byte[] _header = new byte[4];

    /// <summary>The next frame's bytes, or null at a clean end of input (the browser closed the port).</summary>
    public async Task<byte[]?> ReadAsync(CancellationToken cancellationToken)
    {
        var got = await ReadFullyAsync(_header, cancellationToken);
        if (got == 0)
        {
            return null;
        }

        if (got < _header.Length)
        {
            throw new FramingException($"input ended inside a frame header ({got} of 4 bytes)");
        }

        var length = BitConverter.IsLittleEndian
            ? BinaryPrimitives.ReadUInt32LittleEndian(_header)
            : BinaryPrimitives.ReadUInt32BigEndian(_header);
        if (length > (uint)maxFrameBytes)
        {
            throw new FramingException($"a frame of {length} bytes is over the limit of {maxFrameBytes}");
        }

        var frame = new byte[length];
        got = await ReadFullyAsync(frame, cancellationToken);
        if (got < frame.Length)
        {
            throw new FramingException($"input ended inside a frame ({got} of {length} bytes)");
        }

        return frame;
    }

    private async Task<int> ReadFullyAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = await input.ReadAsync(buffer[total..], cancellationToken);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }
}
