using eSafe.Contracts.Native;
using eSafe.Host.Messaging;
using eSafe.Host.Tests.Support;

namespace eSafe.Host.Tests.Messaging;

public sealed class FrameWriterTests
{
    [TestCase(0)]
    [TestCase(1)]
    [TestCase(258)]
    [TestCase(70_000)]
    [TestCase(NativeProtocol.MaxOutgoingBytes)]
    public async Task A_frame_is_its_length_in_native_byte_order_then_its_bytes(int length)
    {
        var body = Frames.Body(length);
        using var output = new MemoryStream();
        using var writer = new FrameWriter(output, NativeProtocol.MaxOutgoingBytes);

        await writer.WriteAsync(body, CancellationToken.None);

        var written = output.ToArray();
        written.Should().HaveCount(4 + length);
        written[..4].Should().Equal(BitConverter.GetBytes((uint)length));
        written[4..].Should().Equal(body);
    }

    [Test]
    public async Task On_a_little_endian_machine_the_length_is_written_least_significant_byte_first()
    {
        Assume.That(BitConverter.IsLittleEndian, "Chrome reads the length in the machine's own order");
        using var output = new MemoryStream();
        using var writer = new FrameWriter(output, NativeProtocol.MaxOutgoingBytes);

        await writer.WriteAsync(Frames.Body(0x010203), CancellationToken.None);

        output.ToArray()[..4].Should().Equal(0x03, 0x02, 0x01, 0x00);
    }

    [TestCase(NativeProtocol.MaxOutgoingBytes + 1)]
    [TestCase(NativeProtocol.MaxIncomingBytes)]
    public async Task A_frame_over_the_browsers_limit_is_refused_and_nothing_is_written(int length)
    {
        using var output = new MemoryStream();
        using var writer = new FrameWriter(output, NativeProtocol.MaxOutgoingBytes);

        var write = () => writer.WriteAsync(new byte[length], CancellationToken.None);

        await write.Should().ThrowAsync<FramingException>()
            .WithMessage($"a frame of {length} bytes is over the browser's limit of {NativeProtocol.MaxOutgoingBytes}");
        output.Length.Should().Be(0);
    }

    [Test]
    public async Task Frames_written_at_the_same_time_never_interleave()
    {
        const int count = 200;
        using var output = new YieldingWriteStream();
        using var writer = new FrameWriter(output, NativeProtocol.MaxOutgoingBytes);
        var bodies = Enumerable.Range(0, count).Select(Body).ToList();

        await Task.WhenAll(bodies.Select(body => Task.Run(() => writer.WriteAsync(body, CancellationToken.None))));

        var reader = new FrameReader(new MemoryStream(output.ToArray()), NativeProtocol.MaxOutgoingBytes);
        var seen = new List<int>();
        while (await reader.ReadAsync(CancellationToken.None) is { } frame)
        {
            var index = BitConverter.ToInt32(frame);
            // Compared as spans: two hundred collection assertions would be most of the test's time.
            frame.AsSpan().SequenceEqual(bodies[index]).Should().BeTrue("frame {0} came back as it was written", index);
            seen.Add(index);
        }

        seen.Order().Should().Equal(Enumerable.Range(0, count));
    }

    // Frame i: its index, then a size and filling of its own.
    private static byte[] Body(int index) => [.. BitConverter.GetBytes(index), .. Frames.Body(1 + (index * 37 % 3000), (byte)index)];
}
