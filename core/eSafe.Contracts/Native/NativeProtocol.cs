namespace eSafe.Contracts.Native;

/// <summary>Constants of the native messaging protocol (docs/PROTOCOL.md).</summary>
public static class NativeProtocol
{
    /// <summary>Bumped when a message changes incompatibly; both ends say theirs in hello.</summary>
    public const int Version = 1;

    /// <summary>The extension's ID, fixed by the key in extension/manifest.json.</summary>
    public const string ExtensionId = "hiipfkacdajbinoadfgohldjcebaoijj";

    /// <summary>The host's name, as Chrome knows it.</summary>
    public const string HostName = "com.esafe.host";

    /// <summary>Chrome refuses a host → browser message larger than this.</summary>
    public const int MaxOutgoingBytes = 1024 * 1024;

    /// <summary>Our own cap on what the host reads: a screenshot and its base64, with room to spare.</summary>
    public const int MaxIncomingBytes = 8 * 1024 * 1024;
}
