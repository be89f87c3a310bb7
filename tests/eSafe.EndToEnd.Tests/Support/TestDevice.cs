using System.Text.Json;
using eSafe.Contracts;
using eSafe.Contracts.Http;
using eSafe.Detection;
using eSafe.Incidents;
using Refit;

namespace eSafe.EndToEnd.Tests.Support;

/// <summary>What a pupil did that made an incident: the text, where, and the library entry it matched.</summary>
public sealed record PupilText(
    string Context,
    string MatchedText,
    string Category,
    int Severity,
    string Pupil = "pupil@example.org",
    string Source = TextSources.Typed,
    string Url = "https://chat.example.org/room/7",
    string? PageTitle = "Class chat",
    string? RuleId = null,
    string? Phrase = null);

/// <summary>
/// A device enrolled at a school through the real device API, uploading incidents sealed to the server's key exactly
/// as a host does: how the console's tests make incidents while the page is open.
/// </summary>
public sealed class TestDevice : IDisposable
{
    private readonly HttpClient _http;
    private readonly IDeviceApi _api;
    private readonly EnrolmentResponse _enrolment;
    private readonly string _machineName;

    private TestDevice(HttpClient http, IDeviceApi api, EnrolmentResponse enrolment, string machineName)
    {
        _http = http;
        _api = api;
        _enrolment = enrolment;
        _machineName = machineName;
    }

    public string SchoolId => _enrolment.SchoolId;

    public static async Task<TestDevice> EnrolAsync(Uri server, string enrolmentCode, string machineName)
    {
        var http = new HttpClient { BaseAddress = server };
        var api = RestService.For<IDeviceApi>(http, ContractsJson.RefitSettings());
        var enrolment = await api.EnrolAsync(new EnrolmentRequest(enrolmentCode, machineName, "0.1.0"), CancellationToken.None);
        return new TestDevice(http, api, enrolment, machineName);
    }

    private static readonly Lazy<CompiledLibrary> Library = new(DefaultLibrary.Load);

    // The key behind user IDs is the school's own (the server never has it): made here for the run.
    private readonly byte[] _userIdKey = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);

    /// <summary>An entry of the global library with this category and severity: the server accepts only incidents of rules it knows.</summary>
    public static ThreatEntry RuleFor(string category, int severity) =>
        Library.Value.Entries.First(e => e.Category == category && e.Severity == severity);

    /// <summary>The pseudonymous user ID the school's key gives this pupil.</summary>
    public string UserIdOf(string pupil) => PseudonymousId.Compute(_userIdKey, pupil);

    /// <summary>Seals and uploads an incident; its ID.</summary>
    public async Task<string> UploadAsync(PupilText text, DateTimeOffset occurredAt, byte[]? jpeg)
    {
        var rule = text.RuleId is null ? RuleFor(text.Category, text.Severity) : null;
        var incident = new Incident
        {
            Id = IncidentId.New(occurredAt),
            SchoolId = _enrolment.SchoolId,
            DeviceId = _enrolment.DeviceId,
            UserId = UserIdOf(text.Pupil),
            MachineName = _machineName,
            DeviceAddresses = ["10.1.2.3"],
            OccurredAt = occurredAt,
            LocalOffsetMinutes = 60,
            Url = text.Url,
            PageTitle = text.PageTitle,
            Source = text.Source,
            RuleId = text.RuleId ?? rule!.Id,
            Phrase = text.Phrase ?? rule?.Phrase ?? text.MatchedText,
            MatchedText = text.MatchedText,
            Category = text.Category,
            Severity = text.Severity,
            Context = text.Context,
            Screenshot = jpeg,
            ScreenshotMissingReason = jpeg is null ? "the tab was not visible" : null,
            HostVersion = "0.1.0",
            LibraryVersion = "2026.12.1",
            ExtensionVersion = "0.1.2",
        };
        var json = JsonSerializer.SerializeToUtf8Bytes(incident, IncidentJson.Default.Incident);
        var receipt = await _api.UploadIncidentAsync(IncidentSealer.Seal(json, incident.Id, _enrolment.ServerKey), _enrolment.DeviceToken,
            CancellationToken.None);
        receipt.Duplicate.Should().BeFalse();
        return incident.Id;
    }

    public void Dispose() => _http.Dispose();
}
