using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using eSafe.Contracts;
using eSafe.Contracts.Http;
using eSafe.Detection;
using eSafe.Incidents;
using eSafe.Server.Storage;
using eSafe.Server.Tests.Support;
using eSafe.Server.Web;

namespace eSafe.Server.Tests;

/// <summary>What the server believes of an incident: its rule, its text, its device's clock (issue 9).</summary>
public sealed class IncidentTrustTests
{
    private ServerHarness _server = null!;
    private EnrolmentResponse _device = null!;
    private IAnalystApi _analyst = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await ServerHarness.StartAsync();
        _device = await _server.EnrolAsync();
        _analyst = await _server.SignedInAsync();
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    private async Task<HttpResponseMessage> UploadAsync(Incident incident)
    {
        using var http = _server.HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _device.DeviceToken);
        return await http.PostAsync("/api/v1/incidents", JsonContent.Create(TestIncidents.Seal(incident, _device.ServerKey), ContractsJson.Default.SealedIncident));
    }

    private async Task<IncidentDetail> UploadAndReadAsync(Incident incident)
    {
        using var response = await UploadAsync(incident);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await _analyst.GetIncidentAsync(incident.Id, CancellationToken.None);
    }

    [Test]
    public async Task An_incident_naming_the_default_librarys_longest_rule_is_taken_with_its_phrase_whole()
    {
        // A rule's phrase is its whole pattern (sets, links): a library may hold what PhraseSyntax allows, and the server
        // must take what its own library can make (once it took 256 characters only, and refused the longest rules' hits).
        var longest = DefaultLibrary.Load().Entries.MaxBy(e => e.Phrase.Length)!;
        longest.Phrase.Length.Should().BeGreaterThan(256, "the default library has long rules");
        var incident = TestIncidents.New(_device) with
        {
            RuleId = longest.Id, Phrase = longest.Phrase, Category = longest.Category, Severity = longest.Severity,
        };

        (await UploadAndReadAsync(incident)).Phrase.Should().Be(longest.Phrase);
    }

    // ---- clock skew: never lose an incident, flag it

    public static IEnumerable<TestCaseData> DeviceClocks()
    {
        yield return new TestCaseData(TimeSpan.FromHours(-30), false).SetArgDisplayNames("delivered late (outbox): believed");
        yield return new TestCaseData(TimeSpan.FromMinutes(5), false).SetArgDisplayNames("5 minutes fast: within tolerance");
        yield return new TestCaseData(TimeSpan.FromMinutes(11), true).SetArgDisplayNames("11 minutes fast");
        yield return new TestCaseData(TimeSpan.FromDays(3), true).SetArgDisplayNames("3 days fast");
        yield return new TestCaseData(TimeSpan.FromDays(365 * 10), true).SetArgDisplayNames("10 years fast");
        yield return new TestCaseData(new DateTimeOffset(2001, 1, 1, 0, 0, 0, TimeSpan.Zero) - DateTimeOffset.UtcNow, true).SetArgDisplayNames("reset to 2001");
    }

    [TestCaseSource(nameof(DeviceClocks))]
    public async Task An_incident_from_a_wrong_clock_is_kept_with_both_times_and_flagged(TimeSpan deviceAhead, bool suspect)
    {
        var deviceTime = DateTimeOffset.UtcNow + deviceAhead;
        var incident = TestIncidents.New(_device, occurredAt: deviceTime);

        var detail = await UploadAndReadAsync(incident);

        detail.OccurredAt.Should().Be(incident.OccurredAt, "the device's claimed time is kept as it was sent");
        detail.ReceivedAt.Should().BeCloseTo(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1), "the server's own time is recorded");
        detail.DeviceClockSuspect.Should().Be(suspect);
        if (suspect)
        {
            detail.ClockSkewSeconds!.Value.Should().BeCloseTo((long)deviceAhead.TotalSeconds, 120);
        }
        else
        {
            detail.ClockSkewSeconds.Should().BeNull();
        }
    }

    // ---- text: refused in what the device's software writes, neutralised in the pupil's and the page's text

    public static readonly string[] UnsafeCharacters =
        ["\u0000", "\u0007", "\u001B", "\r", "\u007F", "\u0085", "\u009B", "\u061C", "\u200E", "\u200F", "\u202A", "\u202B", "\u202C", "\u202D", "\u202E", "\u2066", "\u2067", "\u2068", "\u2069", "\u2028", "\u2029"];

    public static IEnumerable<TestCaseData> RefusedFields() =>
        from field in new (string Name, Func<Incident, string, Incident> Set)[]
        {
            ("machineName", (i, c) => i with { MachineName = "LAB" + c + "PC" }),
            ("hostVersion", (i, c) => i with { HostVersion = "0.1" + c }),
            ("libraryVersion", (i, c) => i with { LibraryVersion = c + "2026.1" }),
            ("extensionVersion", (i, c) => i with { ExtensionVersion = "0." + c + "2" }),
            ("ruleId", (i, c) => i with { RuleId = i.RuleId + c }),
            ("phrase", (i, c) => i with { Phrase = i.Phrase + c }),
            ("screenshotMissingReason", (i, c) => i with { Screenshot = null, ScreenshotMissingReason = "not" + c + "visible" }),
        }
        from c in UnsafeCharacters.Append("\t").Append("\n")
        select new TestCaseData(field.Name, field.Set, c).SetArgDisplayNames(field.Name, $"U+{(int)c[0]:X4}");

    [TestCaseSource(nameof(RefusedFields))]
    public async Task A_control_or_direction_character_in_a_device_field_is_refused(string field, Func<Incident, string, Incident> set, string c)
    {
        var incident = set(TestIncidents.New(_device), c);
        using var response = await UploadAsync(incident);
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain(field + " holds a control or text-direction character");
        (await _server.Service<IIncidentStore>().GetAsync(incident.Id, CancellationToken.None)).Should().BeNull();
    }

    public static IEnumerable<TestCaseData> NeutralisedFields() =>
        from c in UnsafeCharacters.Append("\t").Append("\n")
        select new TestCaseData(c).SetArgDisplayNames($"U+{(int)c[0]:X4}");

    [TestCaseSource(nameof(NeutralisedFields))]
    public async Task A_control_or_direction_character_in_pupil_or_page_text_is_neutralised_and_the_incident_kept(string c)
    {
        var lineBreak = c is "\t" or "\n";
        var incident = TestIncidents.New(_device, context: "they said" + c + "meet me") with
        {
            MatchedText = "meet" + c + "me",
            PageTitle = "Chat" + c + "room",
            Url = "https://chat.example.org/room" + c + "7",
        };

        var detail = await UploadAndReadAsync(incident);

        var replaced = lineBreak ? c : "\uFFFD";
        detail.Context.Should().Be("they said" + replaced + "meet me", "context keeps tabs and newlines");
        detail.MatchedText.Should().Be("meet" + replaced + "me");
        detail.PageTitle.Should().Be("Chat\uFFFDroom", "a title is one line");
        detail.Url.Should().Be("https://chat.example.org/room" + Uri.EscapeDataString(c) + "7", "the address keeps its meaning, percent-encoded");
        UntrustedText.IsSafe(detail.Context, linesAllowed: true).Should().BeTrue();
    }

    [TestCaseSource(nameof(NeutralisedFields))]
    public async Task Enrolment_refuses_a_control_or_direction_character_in_the_machine_name_or_version(string c)
    {
        using var http = _server.HttpClient();
        foreach (var (machine, version, field) in new[] { ("LAB" + c + "PC", "0.1.0", "machineName"), ("LAB-PC", "0.1" + c, "hostVersion") })
        {
            using var response = await http.PostAsJsonAsync("/api/v1/devices/enrol", new EnrolmentRequest(_server.Demo!.EnrolmentCode, machine, version),
                ContractsJson.Default.EnrolmentRequest);
            response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
            (await response.Content.ReadAsStringAsync()).Should().Contain(field).And.Contain("text-direction");
        }
    }

    [Test]
    public void Safe_text_in_every_script_passes_untouched()
    {
        string[] safe = ["plain words", "zażółć gęślą jaźń", "میں تم سے ملنا چاہتا ہوں", "ZWNJ\u200Ckept", "ZWJ\u200Dkept", "emoji 🙂"];
        foreach (var text in safe)
        {
            UntrustedText.IsSafe(text).Should().BeTrue(text);
            UntrustedText.Neutralise(text, linesAllowed: false).Should().BeSameAs(text);
        }
    }

    // ---- rules: the global library's, or the school's at any version it had

    [Test]
    public async Task Every_category_and_severity_in_the_global_library_is_accepted_with_its_real_rule()
    {
        var combinations = DefaultLibrary.Load().Entries.Select(e => (e.Category, e.Severity)).Distinct().ToList();
        combinations.Should().HaveCountGreaterThan(30);
        foreach (var (category, severity) in combinations)
        {
            using var response = await UploadAsync(TestIncidents.New(_device, category: category, severity: severity));
            response.StatusCode.Should().Be(HttpStatusCode.OK, $"{category} {severity}");
        }
    }

    [Test]
    public async Task A_school_entry_is_recognised_now_after_a_change_and_after_removal_but_never_as_something_it_was_not()
    {
        var schoolId = _device.SchoolId;
        Incident Naming(string entryId, string category, int severity) =>
            TestIncidents.New(_device) with { RuleId = schoolId + "." + entryId, Phrase = "the old quarry", Category = category, Severity = severity };

        await _analyst.SaveSchoolEntryAsync(schoolId, "quarry-1", new SchoolEntry("quarry-1", "the old quarry", ThreatCategories.Violence, 2, "en-GB", []), CancellationToken.None);
        (await UploadAsync(Naming("quarry-1", ThreatCategories.Violence, 2))).StatusCode.Should().Be(HttpStatusCode.OK);

        await _analyst.SaveSchoolEntryAsync(schoolId, "quarry-1", new SchoolEntry("quarry-1", "the old quarry", ThreatCategories.Violence, 4, "en-GB", []), CancellationToken.None);
        (await UploadAsync(Naming("quarry-1", ThreatCategories.Violence, 4))).StatusCode.Should().Be(HttpStatusCode.OK, "the current version");
        (await UploadAsync(Naming("quarry-1", ThreatCategories.Violence, 2))).StatusCode.Should().Be(HttpStatusCode.OK, "a device still on the older layer");

        await _analyst.RemoveSchoolEntryAsync(schoolId, "quarry-1", CancellationToken.None);
        (await UploadAsync(Naming("quarry-1", ThreatCategories.Violence, 4))).StatusCode.Should().Be(HttpStatusCode.OK, "delivered from an outbox after the removal");

        using var graver = await UploadAsync(Naming("quarry-1", ThreatCategories.Grooming, 5));
        graver.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await graver.Content.ReadAsStringAsync()).Should().Contain("not those of rule");
    }
}
