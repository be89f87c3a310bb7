using System.Text.Json;
using eSafe.Contracts;
using eSafe.Contracts.Native;

namespace eSafe.Host.Messaging;

/// <summary>Typed messages over the framed streams: what the rest of the host talks to.</summary>
public sealed class NativeChannel(Stream input, Stream output) : IDisposable
{
    private readonly FrameReader _reader = new(input, NativeProtocol.MaxIncomingBytes);
    private readonly FrameWriter _writer = new(output, NativeProtocol.MaxOutgoingBytes);

    /// <summary>
    /// The next message; null at end of input. A frame that is not a known message comes back as an
    /// <see cref="UnreadableMessage"/> so the caller can answer it and go on.
    /// </summary>
    public async Task<NativeMessage?> ReceiveAsync(CancellationToken cancellationToken)
    {
        byte[]? frame;
        try
        {
            frame = await _reader.ReadAsync(cancellationToken);
        }
        catch (SkippedFrameException e)
        {
            return new UnreadableMessage(e.Message);
        }

        if (frame is null)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(frame, ContractsJson.Default.NativeMessage)
                ?? new UnreadableMessage("the message is null");
        }
        catch (JsonException e)
        {
            return new UnreadableMessage(e.Message);
        }
        catch (NotSupportedException e)
        {
            return new UnreadableMessage(e.Message);
        }
    }

    public void Dispose() => _writer.Dispose();

    public Task SendAsync(NativeMessage message, CancellationToken cancellationToken) =>
        _writer.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(message, ContractsJson.Default.NativeMessage), cancellationToken);
}

/// <summary>A frame that held no message the host understands; never sent.</summary>
public sealed record UnreadableMessage(string Problem) : NativeMessage;
