namespace eSafe.Host.Tests.Support;

/// <summary>
/// A write-only stream that gives up the thread in the middle of every write and flush, so that two writers
/// not kept apart would interleave their bytes. Keeps everything written.
/// </summary>
internal sealed class YieldingWriteStream : Stream
{
    private readonly MemoryStream _written = new();
    private readonly Lock _gate = new();

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public byte[] ToArray()
    {
        lock (_gate)
        {
            return _written.ToArray();
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        // In two halves with a yield between: the widest window for another writer to slip in.
        var half = buffer.Length / 2;
        await Task.Yield();
        Append(buffer.Span[..half]);
        await Task.Yield();
        Append(buffer.Span[half..]);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async Task FlushAsync(CancellationToken cancellationToken) => await Task.Yield();

    public override void Write(byte[] buffer, int offset, int count) => Append(buffer.AsSpan(offset, count));

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _written.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        lock (_gate)
        {
            _written.Write(bytes);
        }
    }
}
