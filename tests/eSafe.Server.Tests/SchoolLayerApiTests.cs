using System.Net;
using System.Text;
using eSafe.Contracts.Http;
using eSafe.Detection;
using eSafe.Server.Admin;
using eSafe.Server.Analysts;
using eSafe.Server.Libraries;
using eSafe.Server.Storage;
using eSafe.Server.Tests.Support;
using Refit;

namespace eSafe.Server.Tests;

/// <summary>A school's own words through the console's API: changes, validation, scoping and the audit log.</summary>
public sealed class SchoolLayerApiTests
{
    private ServerHarness _server = null!;
    private IAnalystApi _analyst = null!;
    private string _schoolId = null!;
    private string _otherSchoolId = null!;
    private IAnalystApi _contact = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await ServerHarness.StartAsync();
        _analyst = await _server.SignedInAsync();
        var provisioning = _server.Service<Provisioning>();
        _schoolId = (await provisioning.AddSchoolAsync("Layer School", "test", CancellationToken.None)).School.Id;
        _otherSchoolId = (await provisioning.AddSchoolAsync("Other Layer School", "test", CancellationToken.None)).School.Id;
        var (contact, password) = await provisioning.AddAccountAsync("dsl@layer-school", "The DSL", Roles.SchoolContact, _schoolId, "test",
            CancellationToken.None);
        _contact = await _server.SignedInAsync(contact.Username, password);
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [Test]
    public async Task A_school_with_no_words_has_an_empty_layer_at_version_0()
    {
        var (school, _) = await _server.Service<Provisioning>().AddSchoolAsync("Empty School", "test", CancellationToken.None);

        var layer = await _analyst.GetSchoolLayerAsync(school.Id, CancellationToken.None);

        layer.Should().BeEquivalentTo(new SchoolLayerView(school.Id, 0, null, [], [], 5000));
    }

    [Test]
    public async Task Entries_are_added_replaced_and_removed_each_change_bumping_the_version_and_audited()
    {
        var (school, _) = await _server.Service<Provisioning>().AddSchoolAsync("Crud School", "test", CancellationToken.None);
        var first = new SchoolEntry("nick-01", "gobble+ face", ThreatCategories.Bullying, 3, "en-GB", ["gobble face cake"]);

        var added = await _analyst.SaveSchoolEntryAsync(school.Id, "nick-01", first, CancellationToken.None);
        var replaced = await _analyst.SaveSchoolEntryAsync(school.Id, "nick-01", first with { Severity = 4, Exceptions = null }, CancellationToken.None);
        var second = await _analyst.SaveSchoolEntryAsync(school.Id, "den-02",
            new SchoolEntry("den-02", "the old quarry", ThreatCategories.Violence, 2, "en-GB", []), CancellationToken.None);
        var removed = await _analyst.RemoveSchoolEntryAsync(school.Id, "den-02", CancellationToken.None);

        added.Version.Should().Be(1);
        added.Entries.Should().ContainSingle().Which.Should().BeEquivalentTo(first);
        replaced.Version.Should().Be(2);
        replaced.Entries.Should().ContainSingle().Which.Severity.Should().Be(4);
        second.Entries.Select(e => e.Id).Should().Equal("den-02", "nick-01");
        removed.Version.Should().Be(4);
        removed.Entries.Select(e => e.Id).Should().Equal("nick-01");
        removed.ChangedAt.Should().NotBeNull();
        (await _analyst.GetSchoolLayerAsync(school.Id, CancellationToken.None)).Should().BeEquivalentTo(removed);

        var audit = await AuditAsync(school.Id);
        audit.Select(a => (a.Action, a.Detail)).Should().Equal(
            (AuditActions.SchoolEntrySaved, "entry nick-01, version 1"),
            (AuditActions.SchoolEntrySaved, "entry nick-01, version 2"),
            (AuditActions.SchoolEntrySaved, "entry den-02, version 3"),
            (AuditActions.SchoolEntryRemoved, "entry den-02, version 4"));
        audit.Should().OnlyContain(a => a.Actor == _server.Demo!.AnalystUsername && a.RemoteAddress == "127.0.0.1");
        audit.Should().NotContain(a => (a.Detail ?? "").Contains("gobble", StringComparison.Ordinal), "the audit says which entry, not its words");
    }

    [Test]
    public async Task A_context_is_kept_in_the_parsers_spelling_compiled_into_the_layer_and_audited_without_its_words()
    {
        var (school, _) = await _server.Service<Provisioning>().AddSchoolAsync("Mascot School", "test", CancellationToken.None);
        var mascot = new SchoolEntry("mascot-1", "slash+", ThreatCategories.Violence, 3, "en-GB", [],
            "  unless 3:  slashers | match|team ;with 6: {him|her}  ");

        var saved = await _analyst.SaveSchoolEntryAsync(school.Id, "mascot-1", mascot, CancellationToken.None);
        var package = await _server.Service<LibraryPackages>().SchoolPackageAsync(school.Id, CancellationToken.None);
        var cleared = await _analyst.SaveSchoolEntryAsync(school.Id, "mascot-1", mascot with { Context = " " }, CancellationToken.None);

        const string kept = "unless 3: slashers|match|team; with 6: {him|her}";
        saved.Entries.Should().ContainSingle().Which.Should().BeEquivalentTo(mascot with { Context = kept });
        (await _analyst.GetSchoolLayerAsync(school.Id, CancellationToken.None)).Should().BeEquivalentTo(cleared);
        package.Version.Should().Be(saved.Version);
        LibraryFormat.Read(package.Library!).Entries.Should().ContainSingle().Which.Context.Should().Be(kept);
        cleared.Entries.Should().ContainSingle().Which.Context.Should().BeNull("a blank context is none");
        var audit = await AuditAsync(school.Id);
        audit.Select(a => a.Detail).Should().Equal("entry mascot-1, version 1", "entry mascot-1, version 2");
        audit.Should().NotContain(a => (a.Detail ?? "").Contains("slash", StringComparison.Ordinal), "the audit says which entry, not its words");
    }

    [Test]
    public async Task Removing_an_entry_the_school_does_not_have_is_404_and_changes_nothing()
    {
        var before = await _analyst.GetSchoolLayerAsync(_schoolId, CancellationToken.None);

        var refused = await _analyst.Invoking(a => a.RemoveSchoolEntryAsync(_schoolId, "never-added", CancellationToken.None))
            .Should().ThrowAsync<ApiException>();

        refused.Which.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await _analyst.GetSchoolLayerAsync(_schoolId, CancellationToken.None)).Version.Should().Be(before.Version);
    }

    [Test]
    public async Task Global_entries_are_switched_off_and_on_again_once_each()
    {
        var (school, _) = await _server.Service<Provisioning>().AddSchoolAsync("Switch School", "test", CancellationToken.None);
        var globalId = DefaultLibrary.Load().Entries[0].Id;

        var off = await _analyst.DisableGlobalEntryAsync(school.Id, globalId, CancellationToken.None);
        var offAgain = await _analyst.DisableGlobalEntryAsync(school.Id, globalId, CancellationToken.None);
        var on = await _analyst.EnableGlobalEntryAsync(school.Id, globalId, CancellationToken.None);
        var unknown = await _analyst.Invoking(a => a.DisableGlobalEntryAsync(school.Id, "no-such-entry", CancellationToken.None))
            .Should().ThrowAsync<ApiException>();

        off.DisabledGlobalIds.Should().Equal(globalId);
        off.Version.Should().Be(1);
        offAgain.Version.Should().Be(1, "it was off already: nothing changed");
        on.DisabledGlobalIds.Should().BeEmpty();
        on.Version.Should().Be(2);
        unknown.Which.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await AuditAsync(school.Id)).Select(a => a.Action).Should().Equal(AuditActions.GlobalEntrySwitchedOff, AuditActions.GlobalEntrySwitchedOn);
    }

    private static IEnumerable<TestCaseData> BadEntries()
    {
        var good = new SchoolEntry("e-1", "gobble face", ThreatCategories.Bullying, 3, "en-GB", []);
        yield return Bad("an empty phrase", "e-1", good with { Phrase = "" }, "phrase", "the phrase is empty");
        yield return Bad("double spaces", "e-1", good with { Phrase = "gobble  face" }, "phrase", "single spaces");
        yield return Bad("a star not on the last word", "e-1", good with { Phrase = "gob* face" }, "phrase", "");
        yield return Bad("an unknown category", "e-1", good with { Category = "rudeness" }, "category", "must be one of");
        yield return Bad("severity 0", "e-1", good with { Severity = 0 }, "severity", "1 to 5");
        yield return Bad("severity 6", "e-1", good with { Severity = 6 }, "severity", "1 to 5");
        yield return Bad("no language", "e-1", good with { Language = "" }, "language", "BCP 47");
        yield return Bad("a bad exception", "e-1", good with { Exceptions = ["fine", "  "] }, "exceptions", "exception: the phrase is empty");
        yield return Bad("33 exceptions", "e-1", good with { Exceptions = [.. Enumerable.Repeat("gobble face pie", 33)] }, "exceptions", "at most 32");
        yield return Bad("an ID with a slash", "e/1", good with { Id = "e/1" }, "id", "letters, digits");
        yield return Bad("an ID of 33 characters", new string('e', 33), good with { Id = new string('e', 33) }, "id", "1 to 32");
        yield return Bad("another ID in the body", "e-1", good with { Id = "e-2" }, "id", "the ID in the URL");
        yield return Bad("a context clause without a window", "e-1", good with { Context = "unless: match" }, "context", "'unless N: word|word'");
        yield return Bad("a context that is not a clause", "e-1", good with { Context = "because 3: match" }, "context", "'unless N: word|word'");
        yield return Bad("a context window of 0", "e-1", good with { Context = "unless 0: match" }, "context", "N from 1 to 50");
        yield return Bad("a context window of 51", "e-1", good with { Context = "with 51: match" }, "context", "N from 1 to 50");
        yield return Bad("an empty context phrase", "e-1", good with { Context = "unless 3: match||team" }, "context", "none empty");
        yield return Bad("a context phrase with ~", "e-1", good with { Context = "unless 3: match ~2 day" }, "context", "without '~'");
        yield return Bad("a context phrase with a broken set", "e-1", good with { Context = "unless 3: {match|team" }, "context", "is not a set");
        yield return Bad("65 context phrases", "e-1", good with { Context = "unless 3: " + string.Join('|', Enumerable.Range(0, 65).Select(n => $"w{n}x")) },
            "context", "1 to 64 phrases");
        yield return Bad("9 context clauses", "e-1", good with { Context = string.Join("; ", Enumerable.Repeat("unless 3: match", 9)) }, "context",
            "more than 8 clauses");
        yield return Bad("a context over 2,000 characters", "e-1",
            good with { Context = "unless 3: " + string.Join('|', Enumerable.Range(0, 60).Select(_ => new string('m', 40))) }, "context", "longer than 2000");
        // 1,999 characters as written, 2,006 as kept ("; " between clauses): too long for the compiled library, so refused here.
        var clause = "unless 3: " + string.Join('|', Enumerable.Range(0, 48).Select(n => $"w{n:D2}z"));
        yield return Bad("a context over 2,000 characters as kept", "e-1", good with { Context = string.Join(';', Enumerable.Repeat(clause, 8)) }, "context",
            "longer than 2000");

        static TestCaseData Bad(string name, string id, SchoolEntry entry, string field, string problem) =>
            new TestCaseData(id, entry, field, problem).SetArgDisplayNames(name);
    }

    [TestCaseSource(nameof(BadEntries))]
    public async Task A_bad_entry_gets_a_problem_naming_what_is_wrong_and_nothing_changes(string id, SchoolEntry entry, string field, string problem)
    {
        var before = await _analyst.GetSchoolLayerAsync(_schoolId, CancellationToken.None);

        var refused = await _analyst.Invoking(a => a.SaveSchoolEntryAsync(_schoolId, id, entry, CancellationToken.None))
            .Should().ThrowAsync<ApiException>();

        refused.Which.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var (detail, errors) = ProblemDocument.Of(refused.Which);
        errors.Should().ContainKey(field).WhoseValue.Should().Contain(p => p.Contains(problem, StringComparison.Ordinal));
        detail.Should().Be("The entry is not valid; nothing was changed.");
        (await _analyst.GetSchoolLayerAsync(_schoolId, CancellationToken.None)).Should().BeEquivalentTo(before);
    }

    [Test]
    public async Task A_phrase_the_school_has_already_is_refused()
    {
        var (school, _) = await _server.Service<Provisioning>().AddSchoolAsync("Twice School", "test", CancellationToken.None);
        await _analyst.SaveSchoolEntryAsync(school.Id, "a", new SchoolEntry("a", "the old quarry", "violence", 2, "en-GB", null), CancellationToken.None);

        var refused = await _analyst.Invoking(a => a.SaveSchoolEntryAsync(school.Id, "b",
                new SchoolEntry("b", "the old quarry", "violence", 3, "en-GB", null), CancellationToken.None))
            .Should().ThrowAsync<ApiException>();
        var replaced = await _analyst.SaveSchoolEntryAsync(school.Id, "a",
            new SchoolEntry("a", "the old quarry", "violence", 3, "en-GB", null), CancellationToken.None);

        ProblemDocument.Of(refused.Which).Errors["phrase"].Should().Equal("The school's entry a has this phrase already.");
        replaced.Entries.Should().ContainSingle().Which.Severity.Should().Be(3, "an entry may keep its own phrase");
    }

    [Test]
    public async Task Several_things_wrong_are_listed_together()
    {
        var refused = await _analyst.Invoking(a => a.SaveSchoolEntryAsync(_schoolId, "e-1",
                new SchoolEntry("e-1", "", "rudeness", 9, "en-GB", null), CancellationToken.None))
            .Should().ThrowAsync<ApiException>();

        ProblemDocument.Of(refused.Which).Errors.Keys.Should().BeEquivalentTo("phrase", "category", "severity");
    }

    [TestCase("not json")]
    [TestCase("")]
    public async Task A_body_that_is_not_an_entry_is_400(string body)
    {
        using var client = await SignedInHttpClientAsync();
        using var content = new StringContent(body, Encoding.UTF8, "application/json");

        using var response = await client.PutAsync($"/api/v1/schools/{_schoolId}/library/entries/e-1", content);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task A_layer_is_bounded_at_5000_entries()
    {
        var (school, _) = await _server.Service<Provisioning>().AddSchoolAsync("Full School", "test", CancellationToken.None);
        var store = _server.Service<ISchoolLibraryStore>();
        for (var i = 0; i < 5000; i++)
        {
            await store.SaveEntryAsync(school.Id, new ThreatEntry($"w-{i}", $"zq{i}x word", ThreatCategories.Bullying, 2), DateTimeOffset.UtcNow,
                CancellationToken.None);
        }

        var refused = await _analyst.Invoking(a => a.SaveSchoolEntryAsync(school.Id, "one-more",
                new SchoolEntry("one-more", "one more", ThreatCategories.Bullying, 2, "en-GB", null), CancellationToken.None))
            .Should().ThrowAsync<ApiException>();
        var replaced = await _analyst.SaveSchoolEntryAsync(school.Id, "w-7",
            new SchoolEntry("w-7", "seven words", ThreatCategories.Bullying, 2, "en-GB", null), CancellationToken.None);

        ProblemDocument.Of(refused.Which).Errors["entries"].Should().ContainSingle().Which.Should().Contain("at most 5000");
        replaced.Entries.Should().HaveCount(5000, "replacing an entry of a full layer is fine");
    }

    [Test]
    public async Task A_school_contact_reads_and_changes_their_own_schools_layer()
    {
        var saved = await _contact.SaveSchoolEntryAsync(_schoolId, "contact-1",
            new SchoolEntry("contact-1", "the bike sheds", ThreatCategories.Drugs, 2, "en-GB", null), CancellationToken.None);

        saved.Entries.Should().Contain(e => e.Id == "contact-1");
        (await AuditAsync(_schoolId)).Should().Contain(a => a.Actor == "dsl@layer-school" && a.Detail!.StartsWith("entry contact-1", StringComparison.Ordinal));
    }

    private static IEnumerable<TestCaseData> OtherSchoolCalls()
    {
        yield return Call("read", (api, s) => api.GetSchoolLayerAsync(s, CancellationToken.None));
        yield return Call("add", (api, s) => api.SaveSchoolEntryAsync(s, "x-1", new SchoolEntry("x-1", "sneaky words", "bullying", 2, "en-GB", null), CancellationToken.None));
        yield return Call("remove", (api, s) => api.RemoveSchoolEntryAsync(s, "x-1", CancellationToken.None));
        yield return Call("switch off", (api, s) => api.DisableGlobalEntryAsync(s, DefaultLibrary.Load().Entries[0].Id, CancellationToken.None));
        yield return Call("switch on", (api, s) => api.EnableGlobalEntryAsync(s, DefaultLibrary.Load().Entries[0].Id, CancellationToken.None));

        static TestCaseData Call(string name, Func<IAnalystApi, string, Task<SchoolLayerView>> call) => new TestCaseData(call).SetArgDisplayNames(name);
    }

    [TestCaseSource(nameof(OtherSchoolCalls))]
    public async Task A_school_contact_cannot_read_or_change_another_schools_layer(Func<IAnalystApi, string, Task<SchoolLayerView>> call)
    {
        await _analyst.SaveSchoolEntryAsync(_otherSchoolId, "x-1", new SchoolEntry("x-1", "their words", "bullying", 2, "en-GB", null),
            CancellationToken.None);
        var before = await _analyst.GetSchoolLayerAsync(_otherSchoolId, CancellationToken.None);

        var refused = await _contact.Invoking(api => call(api, _otherSchoolId)).Should().ThrowAsync<ApiException>();

        refused.Which.StatusCode.Should().Be(HttpStatusCode.NotFound, "another school's layer looks like no school at all");
        (await _analyst.GetSchoolLayerAsync(_otherSchoolId, CancellationToken.None)).Should().BeEquivalentTo(before);
        (await AuditAsync(_otherSchoolId)).Should().Contain(a => a.Action == AuditActions.SchoolLayerRefused && a.Actor == "dsl@layer-school");
    }

    [Test]
    public async Task An_unknown_school_is_404_and_nobody_signed_in_is_401()
    {
        var unknown = await _analyst.Invoking(a => a.GetSchoolLayerAsync("sch-nosuchschool0000", CancellationToken.None))
            .Should().ThrowAsync<ApiException>();
        var anonymous = await _server.AnalystApi().Invoking(a => a.GetSchoolLayerAsync(_schoolId, CancellationToken.None))
            .Should().ThrowAsync<ApiException>();

        unknown.Which.StatusCode.Should().Be(HttpStatusCode.NotFound);
        anonymous.Which.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    private async Task<IReadOnlyList<AuditEntry>> AuditAsync(string schoolId) =>
        [.. (await _server.Service<IAuditLog>().ReadAsync(0, 100_000, CancellationToken.None))
            .Where(a => a.SchoolId == schoolId && a.Action.StartsWith("school-library", StringComparison.Ordinal))];

    private async Task<HttpClient> SignedInHttpClientAsync()
    {
        var cookies = new CookieContainer();
        await _server.AnalystApi(cookies).LoginAsync(new LoginRequest(_server.Demo!.AnalystUsername, _server.Demo.AnalystPassword), CancellationToken.None);
        return _server.HttpClient(cookies);
    }
}
