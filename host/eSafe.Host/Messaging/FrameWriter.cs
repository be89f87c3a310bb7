using System.Buffers.Binary;

namespace eSafe.Host.Messaging;

/// <summary>Writes native messaging frames, one at a time, never over Chrome's limit.</summary>
public sealed class FrameWriter(Stream output, int maxFrameBytes) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task WriteAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        if (frame.Length > maxFrameBytes)
        {
            throw new FramingException($"a frame of {frame.Length} bytes is over the browser's limit of {maxFrameBytes}");
        }

        var header = new byte[4];
        if (BitConverter.IsLittleEndian)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)frame.Length);
        }
        else
        {
            BinaryPrimitives.WriteUInt32BigEndian(header, (uint)frame.Length);
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            await output.WriteAsync(header, cancellationToken);
            await output.WriteAsync(frame, cancellationToken);
            await output.FlushAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
