using System.Buffers.Binary;

namespace eSafe.Host.Messaging;

/// <summary>Why a frame could not be read; the connection cannot continue after one.</summary>
public class FramingException(string message) : Exception(message);

/// <summary>A frame over the limit that was read past: the next frame can still be read.</summary>
public sealed class SkippedFrameException(string message) : FramingException(message);

/// <summary>
/// Reads native messaging frames: a 32-bit native-endian length, then that many bytes of UTF-8 JSON.
/// </summary>
public sealed class FrameReader(Stream input, int maxFrameBytes)
{
    /// <summary>Chrome sends the host at most 64 MiB a message: a longer length is no frame of Chrome's.</summary>
    public const uint MaxSkippableBytes = 64 * 1024 * 1024;

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
            if (length > MaxSkippableBytes)
            {
                throw new FramingException($"a frame of {length} bytes is over the limit of {maxFrameBytes}");
            }

            // Read past it, so that one message too large costs that message, not the connection.
            var skipped = await SkipAsync(length, cancellationToken);
            if (skipped < length)
            {
                throw new FramingException($"input ended inside a frame ({skipped} of {length} bytes)");
            }

            throw new SkippedFrameException($"a frame of {length} bytes is over the limit of {maxFrameBytes}; it was skipped");
        }

        var frame = new byte[length];
        got = await ReadFullyAsync(frame, cancellationToken);
        if (got < frame.Length)
        {
            throw new FramingException($"input ended inside a frame ({got} of {length} bytes)");
        }

        return frame;
    }

    private async Task<long> SkipAsync(uint length, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        long total = 0;
        while (total < length)
        {
            var read = await ReadFullyAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, length - total)), cancellationToken);
            total += read;
            if (read == 0)
            {
                break;
            }
        }

        return total;
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
