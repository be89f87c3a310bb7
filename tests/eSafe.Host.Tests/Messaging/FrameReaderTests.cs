using eSafe.Contracts.Native;
using eSafe.Host.Messaging;
using eSafe.Host.Tests.Support;

namespace eSafe.Host.Tests.Messaging;

public sealed class FrameReaderTests
{
    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    [TestCase(5)]
    [TestCase(4096)]
    public async Task A_frame_delivered_a_few_bytes_a_read_is_read_whole(int bytesPerRead)
    {
        var body = Frames.Body(1000);
        var input = new TrickleStream(Frames.Of(body), bytesPerRead);
        var reader = new FrameReader(input, NativeProtocol.MaxIncomingBytes);

        var frame = await reader.ReadAsync(CancellationToken.None);

        frame.Should().Equal(body);
        (await reader.ReadAsync(CancellationToken.None)).Should().BeNull();
        if (bytesPerRead == 1)
        {
            input.Reads.Should().BeGreaterThanOrEqualTo(1004, "every byte came in a read of its own");
        }
    }

    [Test]
    public async Task Frames_back_to_back_are_read_one_by_one_then_null()
    {
        int[] sizes = [5, 0, 1, 300, 70_000, 2];
        var bodies = sizes.Select((size, i) => Frames.Body(size, (byte)i)).ToList();
        var reader = new FrameReader(new TrickleStream([.. bodies.SelectMany(Frames.Of)], 7), NativeProtocol.MaxIncomingBytes);

        foreach (var body in bodies)
        {
            (await reader.ReadAsync(CancellationToken.None)).Should().Equal(body);
        }

        (await reader.ReadAsync(CancellationToken.None)).Should().BeNull();
    }

    [Test]
    public async Task A_zero_length_frame_is_an_empty_frame_not_the_end()
    {
        var reader = new FrameReader(new MemoryStream([.. Frames.Header(0), .. Frames.Of("{}")]), NativeProtocol.MaxIncomingBytes);

        (await reader.ReadAsync(CancellationToken.None)).Should().NotBeNull().And.BeEmpty();
        (await reader.ReadAsync(CancellationToken.None)).Should().Equal("{}"u8.ToArray());
        (await reader.ReadAsync(CancellationToken.None)).Should().BeNull();
    }

    [Test]
    public async Task Input_that_ends_before_a_header_is_a_clean_end()
    {
        var reader = new FrameReader(new MemoryStream(), NativeProtocol.MaxIncomingBytes);

        (await reader.ReadAsync(CancellationToken.None)).Should().BeNull();
        (await reader.ReadAsync(CancellationToken.None)).Should().BeNull("the end stays the end");
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public async Task Input_that_ends_inside_the_header_is_a_framing_error(int headerBytes)
    {
        var input = Frames.Of(Frames.Body(10))[..headerBytes];
        var reader = new FrameReader(new TrickleStream(input, 1), NativeProtocol.MaxIncomingBytes);

        var read = () => reader.ReadAsync(CancellationToken.None);

        await read.Should().ThrowAsync<FramingException>()
            .WithMessage($"input ended inside a frame header ({headerBytes} of 4 bytes)");
    }

    [TestCase(10, 0)]
    [TestCase(10, 9)]
    [TestCase(70_000, 65_536)]
    public async Task Input_that_ends_inside_the_body_is_a_framing_error(int declared, int delivered)
    {
        var input = Frames.Of(Frames.Body(declared))[..(4 + delivered)];
        var reader = new FrameReader(new TrickleStream(input, 4096), NativeProtocol.MaxIncomingBytes);

        var read = () => reader.ReadAsync(CancellationToken.None);

        await read.Should().ThrowAsync<FramingException>()
            .WithMessage($"input ended inside a frame ({delivered} of {declared} bytes)");
    }

    [TestCase(FrameReader.MaxSkippableBytes + 1u)]
    [TestCase(0x7FFFFFFFu)]
    [TestCase(0x80000000u)]
    [TestCase(0xFFFFFFFFu)]
    public void A_declared_length_over_the_cap_is_refused_without_allocating_it(uint declared)
    {
        // A memory stream completes every read at once, so the whole read runs on this thread and its
        // allocations are counted here.
        var reader = new FrameReader(new MemoryStream([.. Frames.Header(declared), .. Frames.Body(64)]), NativeProtocol.MaxIncomingBytes);
        var before = GC.GetAllocatedBytesForCurrentThread();

        var read = reader.ReadAsync(CancellationToken.None);

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        read.IsFaulted.Should().BeTrue();
        read.Exception!.InnerException.Should().BeOfType<FramingException>()
            .Which.Message.Should().Be($"a frame of {declared} bytes is over the limit of {NativeProtocol.MaxIncomingBytes}");
        allocated.Should().BeLessThan(64 * 1024, "the frame's buffer is never made");
    }

    [Test]
    public async Task A_frame_of_exactly_the_cap_is_read_and_one_byte_more_is_not()
    {
        var atCap = new FrameReader(new MemoryStream(Frames.Of(Frames.Body(16))), 16);
        var overCap = new FrameReader(new MemoryStream(Frames.Of(Frames.Body(17))), 16);

        (await atCap.ReadAsync(CancellationToken.None)).Should().HaveCount(16);
        var read = () => overCap.ReadAsync(CancellationToken.None);
        await read.Should().ThrowAsync<FramingException>().WithMessage("*17 bytes is over the limit of 16*");
    }

    [Test]
    public async Task The_length_is_read_in_the_machines_byte_order()
    {
        Assume.That(BitConverter.IsLittleEndian, "the byte pattern below is a little-endian machine's");
        // 0x0102 = 258 bytes, least significant byte first.
        var reader = new FrameReader(new MemoryStream([0x02, 0x01, 0x00, 0x00, .. Frames.Body(258)]), NativeProtocol.MaxIncomingBytes);

        (await reader.ReadAsync(CancellationToken.None)).Should().HaveCount(258);
        (await reader.ReadAsync(CancellationToken.None)).Should().BeNull();
    }

    [Test]
    public async Task A_cancelled_read_throws_and_reads_nothing()
    {
        var input = new TrickleStream(Frames.Of(Frames.Body(10)), 1);
        var reader = new FrameReader(input, NativeProtocol.MaxIncomingBytes);

        var read = () => reader.ReadAsync(new CancellationToken(canceled: true));

        await read.Should().ThrowAsync<OperationCanceledException>();
        input.Reads.Should().Be(0);
    }
}
