using eSafe.Contracts.Native;
using eSafe.Incidents;

namespace eSafe.Host.Session;

/// <summary>
/// What the host checks in a message from the extension before it acts on it. JSON can leave any field
/// missing or null whatever the record says, so every field the host uses is checked here.
/// </summary>
public static class IncomingChecks
{
    public const int MaxRequestIdLength = 128;

    /// <summary>An email address is at most 254 characters; a little room beyond that.</summary>
    public const int MaxAccountLength = 320;

    public const int MaxVersionLength = 64;
    public const int MaxCaptureErrorLength = 512;

    /// <summary>Why this hello cannot be used, or null.</summary>
    public static string? Problem(HelloMessage hello) =>
        hello.Protocol < 1 ? "hello refused: protocol is missing or not a positive number"
        : hello.Account is { Length: > MaxAccountLength } ? $"hello refused: account is longer than {MaxAccountLength} characters"
        : hello.ExtensionVersion is { Length: > MaxVersionLength } ? $"hello refused: extensionVersion is longer than {MaxVersionLength} characters"
        : hello.UserIdKey is not null && Configuration.SchoolKeyFile.Parse(hello.UserIdKey) is null ? "hello refused: userIdKey is not a school key (base64 of 32 bytes)"
        : null;

    /// <summary>Why this capture reply cannot be used, or null.</summary>
    public static string? Problem(CaptureReply reply) =>
        !IsRequestId(reply.RequestId) ? $"capture-reply refused: requestId is missing or longer than {MaxRequestIdLength} characters"
        : reply.Jpeg is { Length: > Incident.MaxScreenshotBytes } ? "capture-reply refused: the image is larger than 4 MB"
        : reply.Error is { Length: > MaxCaptureErrorLength } ? $"capture-reply refused: error is longer than {MaxCaptureErrorLength} characters"
        : null;

    public static bool IsRequestId(string? requestId) => requestId is { Length: > 0 and <= MaxRequestIdLength } && !string.IsNullOrWhiteSpace(requestId);
}
