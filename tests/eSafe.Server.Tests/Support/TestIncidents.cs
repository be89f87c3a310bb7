using System.Security.Cryptography;
using System.Text.Json;
using eSafe.Contracts.Http;
using eSafe.Detection;
using eSafe.Incidents;

namespace eSafe.Server.Tests.Support;

/// <summary>Incidents as a device would make them, and their envelopes.</summary>
public static class TestIncidents
{
    private static readonly Lazy<CompiledLibrary> Global = new(DefaultLibrary.Load);

    /// <summary>A real entry of the default global library with this category and severity: the server refuses incidents naming any other.</summary>
    public static ThreatEntry Rule(string category, int severity) =>
        Global.Value.Entries.FirstOrDefault(e => e.Category == category && e.Severity == severity)
        ?? throw new ArgumentException($"The default library has no {category} entry of severity {severity}.");

    /// <summary>The school's user-ID key, as the school's own tool would make it: the server never sees it.</summary>
    public static readonly byte[] SchoolKey = RandomNumberGenerator.GetBytes(32);

    /// <summary>Random bytes behind a JPEG's start and end markers: enough for the server, which checks the magic only.</summary>
    public static byte[] NewJpeg(int size = 4096)
    {
        var bytes = RandomNumberGenerator.GetBytes(size);
        bytes[0] = 0xFF;
        bytes[1] = 0xD8;
        bytes[2] = 0xFF;
        bytes[3] = 0xE0;
        bytes[^2] = 0xFF;
        bytes[^1] = 0xD9;
        return bytes;
    }

    public static Incident New(EnrolmentResponse device, DateTimeOffset? occurredAt = null, string category = "self-harm", int severity = 4,
        string context = "i want to hurt myself tonight", bool screenshot = true)
    {
        var at = occurredAt ?? DateTimeOffset.UtcNow.AddMinutes(-1);
        var rule = Rule(category, severity);
        return new Incident
        {
            Id = IncidentId.New(at),
            SchoolId = device.SchoolId,
            DeviceId = device.DeviceId,
            UserId = PseudonymousId.Compute(SchoolKey, "pupil@example.org"),
            MachineName = "LAB-PC-07",
            DeviceAddresses = ["10.1.2.3", "fe80::1"],
            OccurredAt = at,
            LocalOffsetMinutes = 60,
            Url = "https://chat.example.org/room/7?x=1",
            PageTitle = "Class chat",
            Source = TextSources.Typed,
            RuleId = rule.Id,
            Phrase = rule.Phrase,
            MatchedText = "hurt myself",
            Category = category,
            Severity = severity,
            Context = context,
            Screenshot = screenshot ? NewJpeg() : null,
            ScreenshotMissingReason = screenshot ? null : "the tab was not visible",
            HostVersion = "0.1.0",
            LibraryVersion = "2026.11.1",
            ExtensionVersion = "0.1.2",
        };
    }

    public static byte[] Json(Incident incident) => JsonSerializer.SerializeToUtf8Bytes(incident, IncidentJson.Default.Incident);

    public static SealedIncident Seal(Incident incident, ServerSealingKey key) => IncidentSealer.Seal(Json(incident), incident.Id, key);

    /// <summary>A version 2 envelope as a new host seals it: the binary plaintext, the screenshot as its own bytes.</summary>
    public static SealedIncident SealBinary(Incident incident, ServerSealingKey key) =>
        IncidentSealer.Seal(IncidentPlaintext.Write(incident), incident.Id, key, IncidentSealer.BinaryVersion);

    /// <summary>A body in the binary envelope's media type.</summary>
    public static ByteArrayContent BinaryBody(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(BinaryEnvelope.MediaType);
        return content;
    }
}
