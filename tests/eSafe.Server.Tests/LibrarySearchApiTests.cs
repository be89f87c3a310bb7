using System.Net;
using System.Text.Json.Nodes;
using eSafe.Contracts.Http;
using eSafe.Detection;
using eSafe.Server.Admin;
using eSafe.Server.Analysts;
using eSafe.Server.Storage;
using eSafe.Server.Tests.Support;
using Refit;

namespace eSafe.Server.Tests;

/// <summary>The console's search of the global library: matches, paging, validation, who may search, and the audit log.</summary>
public sealed class LibrarySearchApiTests
{
    private ServerHarness _server = null!;
    private IAnalystApi _analyst = null!;
    private CompiledLibrary _global = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await ServerHarness.StartAsync();
        _analyst = await _server.SignedInAsync();
        _global = _server.Service<CompiledLibrary>();
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [Test]
    public async Task Words_of_a_phrase_find_every_entry_holding_them_a_page_at_a_time_ordered_by_ID()
    {
        var word = _global.Entries[0].Phrase.Split(' ')[0].TrimEnd('+', '*');
        var expected = _global.Entries.Where(e => e.Phrase.Contains(word, StringComparison.OrdinalIgnoreCase)
                                                  || e.Id.Contains(word, StringComparison.OrdinalIgnoreCase))
            .Select(e => e.Id).Order(StringComparer.Ordinal).ToList();

        var first = await _analyst.SearchLibraryAsync(new LibraryEntryQuery { Text = word.ToUpperInvariant(), Limit = 1 }, CancellationToken.None);
        var all = await _analyst.SearchLibraryAsync(new LibraryEntryQuery { Text = word, Limit = 100 }, CancellationToken.None);

        first.Total.Should().Be(expected.Count);
        first.Items.Should().ContainSingle().Which.Id.Should().Be(expected[0]);
        all.Items.Select(e => e.Id).Should().Equal(expected.Take(100));
    }

    [Test]
    public async Task An_ID_finds_its_entry_with_every_field()
    {
        var entry = _global.Entries[^1];

        var page = await _analyst.SearchLibraryAsync(new LibraryEntryQuery { Text = entry.Id }, CancellationToken.None);

        page.Items.Should().ContainEquivalentOf(new LibraryEntryView(entry.Id, entry.Phrase, entry.Category, entry.Severity, entry.Language,
            entry.Exceptions ?? [], entry.Context.Length == 0 ? null : entry.Context));
    }

    [Test]
    public async Task An_entry_with_a_context_is_shown_with_it_and_one_without_has_none()
    {
        var withContext = _global.Entries.First(e => e.Context.Length > 0);
        var without = _global.Entries.First(e => e.Context.Length == 0);

        var found = (await _analyst.SearchLibraryAsync(new LibraryEntryQuery { Text = withContext.Id }, CancellationToken.None)).Items;
        var plain = (await _analyst.SearchLibraryAsync(new LibraryEntryQuery { Text = without.Id }, CancellationToken.None)).Items;

        found.Should().Contain(e => e.Id == withContext.Id).Which.Context.Should().Be(withContext.Context);
        plain.Should().Contain(e => e.Id == without.Id).Which.Context.Should().BeNull();
    }

    [Test]
    public async Task A_category_and_an_offset_narrow_the_search()
    {
        var category = _global.Entries[0].Category;
        var ids = _global.Entries.Where(e => e.Category == category).Select(e => e.Id).Order(StringComparer.Ordinal).ToList();

        var page = await _analyst.SearchLibraryAsync(new LibraryEntryQuery { Category = category, Offset = 1, Limit = 2 }, CancellationToken.None);
        var beyond = await _analyst.SearchLibraryAsync(new LibraryEntryQuery { Category = category, Offset = ids.Count }, CancellationToken.None);

        page.Total.Should().Be(ids.Count);
        page.Offset.Should().Be(1);
        page.Items.Select(e => e.Id).Should().Equal(ids.Skip(1).Take(2));
        page.Items.Should().OnlyContain(e => e.Category == category);
        beyond.Items.Should().BeEmpty();
    }

    [Test]
    public async Task Without_a_limit_a_page_holds_20()
    {
        var page = await _analyst.SearchLibraryAsync(new LibraryEntryQuery(), CancellationToken.None);

        page.Total.Should().Be(_global.Entries.Count);
        page.Items.Should().HaveCount(Math.Min(20, _global.Entries.Count));
    }

    [Test]
    public async Task Bad_parameters_are_400_naming_every_one()
    {
        using var http = await SignedInHttpClientAsync();

        using var response = await http.GetAsync($"/api/v1/library/entries?text={new string('k', 65)}&category=rudeness&limit=0&offset=-1");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var errors = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]!.AsObject();
        errors.Select(e => e.Key).Should().BeEquivalentTo("text", "category", "limit", "offset");
        errors["limit"]!.AsArray().Single()!.GetValue<string>().Should().Contain("1 to 100");
    }

    [Test]
    public async Task A_school_contact_may_search_and_nobody_signed_in_may_not()
    {
        var provisioning = _server.Service<Provisioning>();
        var (school, _) = await provisioning.AddSchoolAsync("Search School", "test", CancellationToken.None);
        var (contact, password) = await provisioning.AddAccountAsync("dsl@search-school", "The DSL", Roles.SchoolContact, school.Id, "test",
            CancellationToken.None);
        var asContact = await _server.SignedInAsync(contact.Username, password);

        var page = await asContact.SearchLibraryAsync(new LibraryEntryQuery { Limit = 1 }, CancellationToken.None);
        var anonymous = await _server.AnalystApi().Invoking(a => a.SearchLibraryAsync(new LibraryEntryQuery(), CancellationToken.None))
            .Should().ThrowAsync<ApiException>();

        page.Items.Should().ContainSingle("the global library is the same for every school");
        anonymous.Which.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task Every_search_is_audited_as_a_read()
    {
        await _analyst.SearchLibraryAsync(new LibraryEntryQuery { Text = "zzq-audited", Category = ThreatCategories.Drugs }, CancellationToken.None);

        var audit = await _server.Service<IAuditLog>().ReadAsync(0, 100_000, CancellationToken.None);

        audit.Should().Contain(a => a.Action == AuditActions.LibrarySearched && a.Actor == _server.Demo!.AnalystUsername
                                    && a.RemoteAddress == "127.0.0.1" && a.Detail == "text \"zzq-audited\", category drugs, from 0: 0 of 0");
    }

    private async Task<HttpClient> SignedInHttpClientAsync()
    {
        var cookies = new CookieContainer();
        await _server.AnalystApi(cookies).LoginAsync(new LoginRequest(_server.Demo!.AnalystUsername, _server.Demo.AnalystPassword), CancellationToken.None);
        return _server.HttpClient(cookies);
    }
}
