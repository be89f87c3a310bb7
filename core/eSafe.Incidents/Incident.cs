namespace eSafe.Incidents;

/// <summary>
/// What the device reports when a threat phrase is seen. It travels sealed (see <see cref="IncidentSealer"/>)
/// and is stored encrypted; it names the pupil only by a pseudonymous user ID.
/// </summary>
public sealed record Incident
{
    public const int MaxScreenshotBytes = 4 * 1024 * 1024;
    public const int MaxContextLength = 2048;

    public required string Id { get; init; }
    public required string SchoolId { get; init; }
    public required string DeviceId { get; init; }
    public required string UserId { get; init; }
    public required string MachineName { get; init; }
    public required IReadOnlyList<string> DeviceAddresses { get; init; }

    /// <summary>When it happened, in UTC.</summary>
    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary>The device's UTC offset then, so the school sees its own local time.</summary>
    public required int LocalOffsetMinutes { get; init; }

    public required string Url { get; init; }
    public string? PageTitle { get; init; }
    public required string Source { get; init; }

    /// <summary>The library entry that matched, and its phrase.</summary>
    public required string RuleId { get; init; }
    public required string Phrase { get; init; }

    /// <summary>The words as the pupil wrote or read them.</summary>
    public required string MatchedText { get; init; }
    public required string Category { get; init; }
    public required int Severity { get; init; }

    /// <summary>The text around the hit.</summary>
    public required string Context { get; init; }

    /// <summary>JPEG of the visible tab, or null with <see cref="ScreenshotMissingReason"/> saying why.</summary>
    public byte[]? Screenshot { get; init; }
    public string? ScreenshotMissingReason { get; init; }

    public required string HostVersion { get; init; }
    public required string LibraryVersion { get; init; }
    public string? ExtensionVersion { get; init; }
}
