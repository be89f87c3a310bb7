using System.Text.RegularExpressions;
using eSafe.Detection;
using eSafe.EndToEnd.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace eSafe.EndToEnd.Tests.AnalystConsole;

/// <summary>
/// The console's "School words" view in real Chromium against the server as a process: a school's own
/// entries added, refused with what is wrong, removed; an entry's context written, refused and edited; global entries
/// switched off and on; scoping.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed partial class SchoolWordsConsoleTests
{
    private const string ContactUsername = "dsl@contact-school";
    private TemporaryFolder _folder = null!;
    private ServerProcess _server = null!;
    private ConsoleBrowser _browser = null!;
    private string _contactSchoolId = null!;
    private string _contactPassword = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _folder = new TemporaryFolder("esafe-console");
        var data = _folder.Sub("server-data");
        // Made with the admin commands before the server opens the data folder; the demo school comes with --demo.
        var school = await ServerProcess.RunCommandAsync(data, "school", "add", "--name", "Contact School");
        _contactSchoolId = SchoolIdLine().Match(school).Groups[1].Value;
        var account = await ServerProcess.RunCommandAsync(data, "analyst", "add", "--username", ContactUsername, "--role", "school-contact",
            "--school", _contactSchoolId, "--display-name", "The DSL");
        _contactPassword = PasswordLine().Match(account).Groups[1].Value;
        _server = await ServerProcess.StartAsync(data, TimeSpan.FromSeconds(60));
        _browser = await ConsoleBrowser.LaunchAsync();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _browser.DisposeAsync();
        await _server.DisposeAsync();
        _folder.Dispose();
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task An_analyst_adds_a_word_is_told_what_is_wrong_switches_a_global_entry_off_and_on_and_removes_the_word()
    {
        var page = await _browser.SignInAsync(_server.Url, _server.Demo.AnalystUsername, _server.Demo.AnalystPassword);
        await page.GetByRole(AriaRole.Link, new() { Name = "School words" }).ClickAsync();
        var school = page.Locator("#words-school select");
        await Expect(school.Locator("option")).ToHaveCountAsync(2);
        await school.SelectOptionAsync(_server.Demo.SchoolId);
        var version = page.Locator("#words-version");
        await Expect(version).ToContainTextAsync("Version 0");

        var form = page.Locator("#word-form");
        await form.Locator("input[name=id]").FillAsync("nick-01");
        await form.Locator("input[name=phrase]").FillAsync("gobble+ face");
        await form.Locator("select[name=category]").SelectOptionAsync("bullying");
        await form.Locator("select[name=severity]").SelectOptionAsync("4");
        await form.Locator("input[name=exceptions]").FillAsync("gobble face cake; gobble face pie");
        await form.GetByRole(AriaRole.Button, new() { Name = "Save entry" }).ClickAsync();
        var word = page.Locator("#words-rows tr[data-id='nick-01']");
        await Expect(word).ToContainTextAsync("gobble+ face");
        await Expect(word).ToContainTextAsync("gobble face cake; gobble face pie");
        await Expect(version).ToContainTextAsync("Version 1");

        // An empty phrase and no category: each wrong field says so beside it, and nothing is stored.
        await form.Locator("input[name=id]").FillAsync("bad-01");
        await form.Locator("input[name=phrase]").FillAsync("");
        await form.GetByRole(AriaRole.Button, new() { Name = "Save entry" }).ClickAsync();
        await Expect(page.Locator("#word-phrase-error")).ToContainTextAsync("the phrase is empty");
        await Expect(page.Locator("#word-category-error")).ToContainTextAsync("must be one of");
        await Expect(page.Locator("#word-form-error")).ToContainTextAsync("Nothing was saved");
        await Expect(page.Locator("#words-rows tr")).ToHaveCountAsync(1);
        await Expect(version).ToContainTextAsync("Version 1");
        var shot = Path.Combine(TestContext.CurrentContext.WorkDirectory, "school-words.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = shot, FullPage = true });
        TestContext.AddTestAttachment(shot, "the School words view after a bad entry was refused");

        // The global library a page at a time, then an entry found with the search, switched off and on again.
        var count = page.Locator("#global-count");
        await Expect(count).ToContainTextAsync("Showing 1–20 of");
        await page.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await Expect(count).ToContainTextAsync("Showing 21–40 of");
        await page.GetByRole(AriaRole.Button, new() { Name = "Previous" }).ClickAsync();
        await Expect(count).ToContainTextAsync("Showing 1–20 of");
        var firstGlobal = page.Locator("#global-rows tr").First;
        var globalId = (await firstGlobal.GetAttributeAsync("data-id"))!;
        await page.Locator("#global-search input[name=text]").FillAsync(globalId);
        await page.Locator("#global-search").GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        var found = page.Locator($"#global-rows tr[data-id='{globalId}']");
        await found.GetByRole(AriaRole.Button, new() { Name = "Switch off" }).ClickAsync();
        var disabled = page.Locator($"#words-disabled li[data-id='{globalId}']");
        await Expect(disabled).ToBeVisibleAsync();
        await Expect(found).ToHaveClassAsync(new Regex("off"));
        await Expect(version).ToContainTextAsync("Version 2");
        await disabled.GetByRole(AriaRole.Button, new() { Name = "Switch on" }).ClickAsync();
        await Expect(page.Locator("#words-disabled li")).ToHaveCountAsync(0);
        await Expect(page.Locator("#words-disabled-empty")).ToBeVisibleAsync();
        await Expect(version).ToContainTextAsync("Version 3");

        await word.GetByRole(AriaRole.Button, new() { Name = "Remove" }).ClickAsync();
        await Expect(page.Locator("#words-rows tr")).ToHaveCountAsync(0);
        await Expect(version).ToContainTextAsync("Version 4");

        var analyst = await _server.LoginAsAnalystAsync();
        var layer = await analyst.GetSchoolLayerAsync(_server.Demo.SchoolId, CancellationToken.None);
        layer.Version.Should().Be(4);
        layer.Entries.Should().BeEmpty();
        layer.DisabledGlobalIds.Should().BeEmpty();
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task A_context_is_written_refused_beside_its_field_when_wrong_shown_edited_and_cleared()
    {
        var page = await _browser.SignInAsync(_server.Url, ContactUsername, _contactPassword);
        await page.GetByRole(AriaRole.Link, new() { Name = "School words" }).ClickAsync();
        var form = page.Locator("#word-form");
        var context = form.Locator("input[name=context]");
        var save = form.GetByRole(AriaRole.Button, new() { Name = "Save entry" });
        var analyst = await _server.LoginAsAnalystAsync();
        var before = await analyst.GetSchoolLayerAsync(_contactSchoolId, CancellationToken.None);

        // A window over 50: the error is beside the context field alone, and nothing is stored.
        await form.Locator("input[name=id]").FillAsync("mascot-1");
        await form.Locator("input[name=phrase]").FillAsync("slash+");
        await form.Locator("select[name=category]").SelectOptionAsync("violence");
        await context.FillAsync("unless 60: slashers|match|team");
        await save.ClickAsync();
        await Expect(page.Locator("#word-context-error")).ToContainTextAsync("N from 1 to 50");
        await Expect(page.Locator("#word-phrase-error")).ToBeEmptyAsync();
        await Expect(page.Locator("#word-form-error")).ToContainTextAsync("Nothing was saved");
        (await analyst.GetSchoolLayerAsync(_contactSchoolId, CancellationToken.None)).Should().BeEquivalentTo(before);

        await context.FillAsync("unless 3: slashers | match | team");
        await save.ClickAsync();
        var row = page.Locator("#words-rows tr[data-id='mascot-1']");
        await Expect(row.Locator("td.word-context")).ToHaveTextAsync("unless 3: slashers|match|team");
        await Expect(page.Locator("#word-context-error")).ToBeEmptyAsync();
        var shot = Path.Combine(TestContext.CurrentContext.WorkDirectory, "school-words-context.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = shot, FullPage = true });
        TestContext.AddTestAttachment(shot, "the School words view with an entry that has a context");

        // Edit brings the context back into the form; a required word is added; then the context is cleared.
        await row.GetByRole(AriaRole.Button, new() { Name = "Edit" }).ClickAsync();
        await Expect(context).ToHaveValueAsync("unless 3: slashers|match|team");
        await context.FillAsync("unless 3: slashers|match|team; with 6: {him|her}");
        await save.ClickAsync();
        await Expect(row.Locator("td.word-context")).ToHaveTextAsync("unless 3: slashers|match|team; with 6: {him|her}");
        (await analyst.GetSchoolLayerAsync(_contactSchoolId, CancellationToken.None)).Entries.Single(e => e.Id == "mascot-1").Context
            .Should().Be("unless 3: slashers|match|team; with 6: {him|her}");
        await row.GetByRole(AriaRole.Button, new() { Name = "Edit" }).ClickAsync();
        await context.FillAsync("");
        await save.ClickAsync();
        await Expect(page.Locator("#word-form-status")).ToContainTextAsync("Saved entry mascot-1");
        await Expect(row.Locator("td.word-context")).ToBeEmptyAsync();
        (await analyst.GetSchoolLayerAsync(_contactSchoolId, CancellationToken.None)).Entries.Single(e => e.Id == "mascot-1").Context.Should().BeNull();

        // A global entry's context is shown too, so a school sees what already cancels it before switching it off.
        var global = DefaultLibrary.Load().Entries.First(e => e.Context.Length > 0);
        await page.Locator("#global-search input[name=text]").FillAsync(global.Id);
        await page.Locator("#global-search").GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Expect(page.Locator($"#global-rows tr[data-id='{global.Id}'] td.word-context")).ToHaveTextAsync(global.Context);
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task A_school_contact_sees_and_changes_only_their_own_school()
    {
        var page = await _browser.SignInAsync(_server.Url, ContactUsername, _contactPassword);
        await page.GetByRole(AriaRole.Link, new() { Name = "School words" }).ClickAsync();

        var school = page.Locator("#words-school select");
        await Expect(school.Locator("option")).ToHaveCountAsync(1);
        await Expect(school).ToHaveValueAsync(_contactSchoolId);
        await Expect(school).ToBeDisabledAsync();
        var form = page.Locator("#word-form");
        await form.Locator("input[name=id]").FillAsync("sheds");
        await form.Locator("input[name=phrase]").FillAsync("behind the bike sheds");
        await form.Locator("select[name=category]").SelectOptionAsync("drugs");
        await form.GetByRole(AriaRole.Button, new() { Name = "Save entry" }).ClickAsync();
        await Expect(page.Locator("#words-rows tr[data-id='sheds']")).ToBeVisibleAsync();

        var analyst = await _server.LoginAsAnalystAsync();
        (await analyst.GetSchoolLayerAsync(_contactSchoolId, CancellationToken.None)).Entries.Should().ContainSingle(e => e.Id == "sheds");
        (await analyst.GetSchoolLayerAsync(_server.Demo.SchoolId, CancellationToken.None)).Entries.Should().NotContain(e => e.Id == "sheds");
    }

    [GeneratedRegex(@"School ID: (\S+)")]
    private static partial Regex SchoolIdLine();

    [GeneratedRegex(@"Password: (\S+)")]
    private static partial Regex PasswordLine();
}
