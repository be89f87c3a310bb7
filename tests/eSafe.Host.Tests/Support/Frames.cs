namespace eSafe.Host.Tests.Support;

/// <summary>Native messaging frames built by hand: a length in this machine's byte order, then the body.</summary>
internal static class Frames
{
    public static byte[] Header(uint length) => BitConverter.GetBytes(length);

    public static byte[] Of(byte[] body) => [.. Header((uint)body.Length), .. body];

    public static byte[] Of(string json) => Of(System.Text.Encoding.UTF8.GetBytes(json));

    /// <summary>A body whose every byte says where it is, so a frame cut or spliced is noticed.</summary>
    public static byte[] Body(int length, byte seed = 0)
    {
        var body = new byte[length];
        for (var i = 0; i < length; i++)
        {
            body[i] = (byte)(seed + (i * 7));
        }

        return body;
    }
}
