using System.Text.Json.Serialization;
using eSafe.Incidents;

namespace eSafe.Contracts.Native;

/// <summary>
/// A message on the native messaging port between extension and host; <c>type</c> names it.
/// The same messages travel over the device connection in Chromebook mode. See docs/PROTOCOL.md.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(HelloMessage), "hello")]
[JsonDerivedType(typeof(HelloReply), "hello-reply")]
[JsonDerivedType(typeof(TextMessage), "text")]
[JsonDerivedType(typeof(AckMessage), "ack")]
[JsonDerivedType(typeof(CaptureRequest), "capture")]
[JsonDerivedType(typeof(CaptureReply), "capture-reply")]
[JsonDerivedType(typeof(ErrorMessage), "error")]
public abstract record NativeMessage;

/// <summary>Extension → host, first on every connection.</summary>
/// <param name="Account">The browser's signed-in account (email); it stays on the device and is only ever hashed.</param>
/// <param name="UserIdKey">The school's user-ID key (base64) from Chrome policy, for a host installed without one.</param>
public sealed record HelloMessage(int Protocol, string? ExtensionVersion, string? Account, string? UserIdKey = null) : NativeMessage;

/// <summary>Host → extension, answering hello.</summary>
/// <param name="Ready">False when the host cannot report yet (not enrolled, no server); <see cref="Problem"/> says why.</param>
public sealed record HelloReply(int Protocol, string HostVersion, string LibraryVersion, bool Ready, string? Problem) : NativeMessage;

/// <summary>Extension → host: text the pupil typed or read.</summary>
public sealed record TextMessage(TextEvent Event) : NativeMessage;

/// <summary>Host → extension: the event is scanned and every incident from it is in the outbox; forget it.</summary>
public sealed record AckMessage(string EventId, int Incidents) : NativeMessage;

/// <summary>Host → extension: capture the visible tab.</summary>
public sealed record CaptureRequest(string RequestId, int TabId) : NativeMessage;

/// <summary>Extension → host: the JPEG (base64), or why there is none.</summary>
public sealed record CaptureReply(string RequestId, byte[]? Jpeg, string? Error) : NativeMessage;

/// <summary>Either way: something could not be done. <see cref="EventId"/> names the event when it is about one.</summary>
public sealed record ErrorMessage(string Message, string? EventId) : NativeMessage;
