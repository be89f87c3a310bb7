namespace eSafe.Host.Tests.Support;

/// <summary>
/// The outline of a JPEG: start-of-image, a JFIF header, a comment and end-of-image. The host (like the
/// server's validator) only checks that an image starts as a JPEG does and is not too large.
/// </summary>
internal static class TestJpeg
{
    public static byte[] Bytes() =>
    [
        0xFF, 0xD8, // SOI
        0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, // APP0 JFIF
        0xFF, 0xFE, 0x00, 0x07, (byte)'e', (byte)'S', (byte)'a', (byte)'f', (byte)'e', // COM
        0xFF, 0xD9, // EOI
    ];
}
