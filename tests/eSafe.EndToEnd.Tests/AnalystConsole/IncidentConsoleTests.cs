using System.Globalization;
using System.Text.RegularExpressions;
using eSafe.Contracts.Http;
using eSafe.EndToEnd.Tests.Support;
using eSafe.Incidents;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace eSafe.EndToEnd.Tests.AnalystConsole;

/// <summary>
/// The analyst's day and the school contact's view in real Chromium against the server as a process: the queue by
/// priority with its filters in the address, live arrivals, the incident page, decisions and reopening, the school's
/// response, the school set-up and the dashboard. Incidents come from a device enrolled through the device API.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed partial class IncidentConsoleTests
{
    private const string ContactUsername = "dsl@riverside";
    private const string SeniorUsername = "senior";
    private const string Qualifications = "Enhanced DBS 2026, NPPV 2";
    private static readonly ViewportSize Laptop = new() { Width = 1280, Height = 800 };
    private TemporaryFolder _folder = null!;
    private ServerProcess _server = null!;
    private ConsoleBrowser _browser = null!;
    private TestDevice _device = null!;
    private byte[] _jpeg = null!;
    private string _contactPassword = null!;
    private string _seniorPassword = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _folder = new TemporaryFolder("esafe-incident-console");
        var data = _folder.Sub("server-data");
        // Made with the admin commands before the server opens the data folder; the demo school and analyst come with --demo.
        var school = await ServerProcess.RunCommandAsync(data, "school", "add", "--name", "Riverside Academy");
        var schoolId = Line(school, "School ID");
        var code = Line(school, "Enrolment code");
        _contactPassword = Line(await ServerProcess.RunCommandAsync(data, "analyst", "add", "--username", ContactUsername, "--role", "school-contact",
            "--school", schoolId, "--display-name", "Riverside DSL"), "Password");
        _seniorPassword = Line(await ServerProcess.RunCommandAsync(data, "analyst", "add", "--username", SeniorUsername, "--role", "senior-analyst",
            "--display-name", "Sam Senior", "--qualifications", Qualifications), "Password");
        _server = await ServerProcess.StartAsync(data, TimeSpan.FromSeconds(60));
        _browser = await ConsoleBrowser.LaunchAsync();
        _device = await TestDevice.EnrolAsync(_server.Url, code, "LAB-PC-12");
        _jpeg = await _browser.JpegOfAsync(
            "<body style='margin:0;font:20px sans-serif;background:#e8f0fe'><h1 style='background:#3b5998;color:#fff;margin:0;padding:16px'>Class chat</h1>"
            + "<p style='padding:16px'>jo: are you coming tomorrow?</p><p style='padding:16px'>me: honestly i want to end my life tonight</p></body>");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _device?.Dispose();
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _folder?.Dispose();
    }

    [Test]
    [CancelAfter(180_000)]
    public async Task The_queue_opens_on_undecided_incidents_by_priority_saying_what_happened_with_its_filters_in_the_address()
    {
        var now = DateTimeOffset.UtcNow;
        var pupil = Pupil();
        var concern = await _device.UploadAsync(new PupilText("they keep calling me a loser in the group chat", "loser", "bullying", 2, pupil),
            now.AddMinutes(-50), _jpeg);
        var urgent = await _device.UploadAsync(new PupilText("jo: are you coming? me: honestly i want to end my life tonight", "i want to end my life",
            "suicide", 5, pupil), now.AddMinutes(-10), _jpeg);
        var conversation = await _device.UploadAsync(new PupilText("how much is a gram of weed round here", "gram of weed", "drugs", 3, pupil,
            TextSources.Search, "https://www.google.com/search?q=how+much+is+a+gram+of+weed", "Google"), now.AddMinutes(-30), null);

        var page = await _browser.SignInAsync(_server.Url, _server.Demo.AnalystUsername, _server.Demo.AnalystPassword, Laptop);
        await Expect(page).ToHaveURLAsync(new Regex(@"#/\?status=undecided&order=priority$"));
        var row = page.Locator($"#rows > li[data-id='{urgent}']");
        await Expect(row).ToBeVisibleAsync();
        var order = await RowIdsAsync(page);
        order.IndexOf(urgent).Should().BeLessThan(order.IndexOf(conversation), "severity comes first");
        order.IndexOf(conversation).Should().BeLessThan(order.IndexOf(concern));

        // One line of what happened, to the second in the pupil's time (UTC on hover), the matched words highlighted below.
        var local = now.AddMinutes(-10).ToOffset(TimeSpan.FromHours(1));
        await Expect(row.Locator(".what")).ToHaveTextAsync(new Regex(
            $@"^typed on chat\.example\.org — ‘i want to end my life’ — suicide · 5 immediate risk — Riverside Academy — (\d+ \w+ )?{local:HH:mm:ss}$"));
        await Expect(row.Locator(".what time")).ToHaveAttributeAsync("title", new Regex($@"^{now.AddMinutes(-10):yyyy-MM-dd HH:mm:ss} UTC"));
        await Expect(row.Locator(".snippet mark")).ToHaveTextAsync("i want to end my life");
        await Expect(row.Locator(".sev-5")).ToHaveCSSAsync("background-color", "rgb(106, 13, 131)");
        await Expect(page.Locator($"#rows > li[data-id='{conversation}'] .what")).ToContainTextAsync("searched on google.com — ‘gram of weed’");
        await Expect(page.Locator($"#rows > li[data-id='{conversation}'] .sev-3")).ToHaveCSSAsync("background-color", "rgb(224, 104, 11)");
        await ShotAsync(page, "queue");

        // A filter goes into the address; a reload keeps it; back returns to the view before.
        await page.Locator("#filters select[name=category]").SelectOptionAsync("suicide");
        await Expect(page).ToHaveURLAsync(new Regex(@"category=suicide"));
        await Expect(page.Locator($"#rows > li[data-id='{concern}']")).ToHaveCountAsync(0);
        await page.Locator("#filters select[name=severity]").SelectOptionAsync("minSeverity=4");
        await Expect(page).ToHaveURLAsync(new Regex(@"category=suicide&minSeverity=4&order=priority"));
        await page.ReloadAsync();
        await Expect(page.Locator("#filters select[name=category]")).ToHaveValueAsync("suicide");
        await Expect(page.Locator("#filters select[name=severity]")).ToHaveValueAsync("minSeverity=4");
        await Expect(row).ToBeVisibleAsync();
        (await page.Locator("#rows > li .what").AllTextContentsAsync()).Should().OnlyContain(t => t.Contains("suicide"));
        await page.GoBackAsync();
        await page.GoBackAsync();
        await Expect(page.Locator("#filters select[name=category]")).ToHaveValueAsync("");
        await Expect(page.Locator($"#rows > li[data-id='{concern}']")).ToBeVisibleAsync();
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task A_new_incident_appears_in_the_open_queue_without_a_reload_and_the_counts_change()
    {
        var page = await _browser.SignInAsync(_server.Url, _server.Demo.AnalystUsername, _server.Demo.AnalystPassword, Laptop);
        var counts = page.Locator("#counts");
        await Expect(counts).ToHaveTextAsync(new Regex(@"^\d+ undecided · \d+ serious$"));
        var (undecided, serious) = Counts(await counts.TextContentAsync());
        await page.EvaluateAsync("() => { window.sameDocument = true; }");

        var id = await _device.UploadAsync(new PupilText("if he says that again i will stab him", "stab him", "violence", 4, Pupil()),
            DateTimeOffset.UtcNow.AddSeconds(-5), _jpeg);
        await Expect(page.Locator($"#rows > li[data-id='{id}']")).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await Expect(counts).ToHaveTextAsync($"{undecided + 1} undecided · {serious + 1} serious");
        await Expect(page).ToHaveTitleAsync($"‼ ({undecided + 1}) eSafe console");
        (await page.EvaluateAsync<bool>("() => window.sameDocument === true")).Should().BeTrue("the page was not reloaded");
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task The_incident_page_says_what_happened_beside_its_screenshot_highlights_the_words_and_shows_the_pupils_timeline()
    {
        var now = DateTimeOffset.UtcNow;
        var pupil = Pupil();
        var first = await _device.UploadAsync(new PupilText("a page about ways to hurt yourself without anyone knowing", "hurt yourself", "self-harm", 3,
            pupil, TextSources.Page, "https://forum.example.net/t/991", "Forum"), now.AddHours(-3), null);
        var second = await _device.UploadAsync(new PupilText("painless ways to die", "ways to die", "suicide", 4, pupil, TextSources.Search,
            "https://www.google.com/search?q=painless+ways+to+die", "Google"), now.AddHours(-2), null);
        var latest = await _device.UploadAsync(new PupilText("jo: are you coming? me: honestly i want to end my life tonight", "i want to end my life",
            "suicide", 5, pupil), now.AddMinutes(-1), _jpeg);
        var rule = TestDevice.RuleFor("suicide", 5);
        await _device.UploadAsync(new PupilText("another pupil entirely wants to end my life", "end my life", "suicide", 5, Pupil()), now.AddMinutes(-2), null);

        var page = await _browser.SignInAsync(_server.Url, _server.Demo.AnalystUsername, _server.Demo.AnalystPassword, Laptop);
        await page.GotoAsync($"{_server.Url}#/incidents/{latest}");
        await Expect(page.Locator("#detail-title")).ToContainTextAsync("typed on chat.example.org — ‘i want to end my life’ — suicide · 5 immediate risk");
        await Expect(page.Locator("#detail-id")).ToHaveTextAsync(latest);
        await Expect(page.Locator("#detail-context mark")).ToHaveTextAsync("i want to end my life");
        await Expect(page.Locator("#detail-context")).ToHaveTextAsync("jo: are you coming? me: honestly i want to end my life tonight");
        var fields = page.Locator("#detail-fields");
        await Expect(fields).ToContainTextAsync(_device.UserIdOf(pupil));
        await Expect(fields).ToContainTextAsync("LAB-PC-12");
        await Expect(fields).ToContainTextAsync("10.1.2.3");
        await Expect(fields).ToContainTextAsync($"entry {rule.Id}: “{rule.Phrase}” — in suicide at 5 immediate risk");
        await Expect(fields).ToContainTextAsync($"{now.AddMinutes(-1):yyyy-MM-dd HH:mm:ss} UTC");

        // The screenshot is the real image, large, and above the fold of a 1280×800 screen.
        var shot = page.Locator("#detail-shot");
        await Expect(shot).ToHaveJSPropertyAsync("naturalWidth", 1280);
        var box = (await shot.BoundingBoxAsync())!;
        box.Width.Should().BeGreaterThan(560);
        (box.Y + box.Height).Should().BeLessThan(800);
        await ShotAsync(page, "incident");

        // The same pupil's other incidents at the school, newest first; another pupil's are not there.
        var timeline = page.Locator("#detail-timeline > li");
        await Expect(timeline).ToHaveCountAsync(2);
        (await timeline.EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.id)")).Should().Equal(second, first);
        await Expect(timeline.First).ToHaveClassAsync("sev-edge-4");
        await timeline.First.Locator("a").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"#/incidents/{second}$"));
        await Expect(page.Locator("#detail-title")).ToContainTextAsync("searched on google.com — ‘ways to die’");
        await Expect(fields).ToContainTextAsync("painless ways to die");
        await Expect(page.Locator("#detail-noshot")).ToContainTextAsync("the tab was not visible");
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task A_decision_is_refused_beside_its_field_then_an_intervention_is_signed_reopened_and_decided_a_false_positive()
    {
        var id = await _device.UploadAsync(new PupilText("he said he would kill me after school", "kill me", "violence", 4, Pupil()),
            DateTimeOffset.UtcNow.AddMinutes(-3), _jpeg);
        var page = await _browser.SignInAsync(_server.Url, SeniorUsername, _seniorPassword, Laptop);
        await page.GotoAsync($"{_server.Url}#/incidents/{id}");
        var form = page.Locator("#decision-form");
        await Expect(form).ToBeVisibleAsync();
        await form.Locator("input[value=intervention]").CheckAsync();
        await form.Locator("textarea[name=narrative]").FillAsync("Too short.");
        await form.Locator("input[name=escalationReason]").FillAsync("A threat of violence after school.");
        await form.GetByRole(AriaRole.Button, new() { Name = "Record the decision" }).ClickAsync();
        await Expect(form.Locator("[data-error-for=narrative]")).ToContainTextAsync("Between 20 and 4000 characters");
        await Expect(page.Locator("#decision-error")).ToContainTextAsync("Nothing was saved");
        var analyst = await _server.LoginAsAnalystAsync();
        (await analyst.GetIncidentAsync(id, CancellationToken.None)).Workflow.Decisions.Should().BeEmpty("a refused decision changes nothing");

        await form.Locator("textarea[name=narrative]").FillAsync("The pupil reports a specific threat to kill them after school today.");
        await form.Locator("select[name=severity]").SelectOptionAsync("4");
        await form.GetByRole(AriaRole.Button, new() { Name = "Record the decision" }).ClickAsync();
        var history = page.Locator("#workflow-history");
        await Expect(history.Locator(".decision")).ToContainTextAsync("Intervention at 4 risk of harm");
        await Expect(history.Locator(".signed")).ToContainTextAsync($"Signed Sam Senior (senior), {Qualifications}");
        await Expect(page.Locator("#detail-pills")).ToContainTextAsync("escalated");
        await Expect(form).ToBeHiddenAsync();
        await Expect(page.Locator("#report-download")).ToHaveAttributeAsync("href", $"/api/v1/incidents/{id}/report");
        await ShotAsync(page, "decided");

        var reopen = page.Locator("#reopen-form");
        await reopen.Locator("input[name=reason]").FillAsync("The school says the pupil was quoting a film.");
        await reopen.GetByRole(AriaRole.Button, new() { Name = "Reopen" }).ClickAsync();
        await Expect(history).ToContainTextAsync("Reopened by senior");
        await Expect(form).ToBeVisibleAsync();
        await form.Locator("input[value=no-action]").CheckAsync();
        await form.Locator("input[value=false-positive]").CheckAsync();
        await form.Locator("input[name=proposedException]").FillAsync("kill me after school film");
        await form.GetByRole(AriaRole.Button, new() { Name = "Record the decision" }).ClickAsync();
        await Expect(history.Locator(".decision").Last).ToContainTextAsync("No action: false positive");
        await Expect(history.Locator(".decision").Last).ToContainTextAsync("Proposed exception: “kill me after school film”");
        await Expect(page.Locator("#detail-pills")).ToContainTextAsync("no action");
        var workflow = (await analyst.GetIncidentAsync(id, CancellationToken.None)).Workflow;
        workflow.Decisions.Select(d => d.Outcome).Should().Equal(DecisionOutcomes.Intervention, DecisionOutcomes.NoAction);
        workflow.Reopens.Should().ContainSingle();
    }

    [Test]
    [CancelAfter(180_000)]
    public async Task The_school_contact_sees_only_escalated_incidents_acknowledges_the_alert_and_records_the_response_which_the_analyst_sees()
    {
        var pupil = Pupil();
        var escalated = await _device.UploadAsync(new PupilText("i have the pills ready and i am going to end it tonight", "end it tonight", "suicide", 5, pupil),
            DateTimeOffset.UtcNow.AddMinutes(-4), _jpeg);
        var undecided = await _device.UploadAsync(new PupilText("everyone hates me i am such a loser", "loser", "bullying", 2, pupil),
            DateTimeOffset.UtcNow.AddMinutes(-3), _jpeg);
        var analyst = await _server.LoginAsAnalystAsync();
        var version = (await analyst.GetIncidentAsync(escalated, CancellationToken.None)).Workflow.Version;
        await analyst.DecideAsync(escalated, new DecisionRequest
        {
            Outcome = DecisionOutcomes.Intervention,
            Severity = 5,
            Narrative = "The pupil says they have pills ready and will end their life tonight.",
            EscalationReason = "Immediate risk to life.",
            ExpectedVersion = version,
        }, CancellationToken.None);

        // Every staff view shows the open alert until someone at the school acknowledges it.
        var staff = await _browser.SignInAsync(_server.Url, _server.Demo.AnalystUsername, _server.Demo.AnalystPassword, Laptop);
        var banner = staff.Locator("#alerts-banner");
        await Expect(banner).ToContainTextAsync("Urgent alert open — Riverside Academy — suicide · 5 immediate risk — open");
        await Expect(banner).ToContainTextAsync("no phone provider configured");
        await Expect(banner.Locator($"a[href='#/incidents/{escalated}']")).ToBeVisibleAsync();
        await staff.GotoAsync($"{_server.Url}#/dashboard");
        await Expect(banner).ToBeVisibleAsync();

        var page = await _browser.SignInAsync(_server.Url, ContactUsername, _contactPassword, Laptop);
        var row = page.Locator($"#rows > li[data-id='{escalated}']");
        await Expect(row).ToBeVisibleAsync();
        await Expect(page.Locator($"#rows > li[data-id='{undecided}']")).ToHaveCountAsync(0);
        (await page.Locator("#rows > li .status-escalated, #rows > li .status-closed").CountAsync())
            .Should().Be(await page.Locator("#rows > li").CountAsync(), "a school's contact sees only escalated and closed incidents");
        await Expect(page.Locator("#filters select[name=schoolId]")).ToBeHiddenAsync();
        await Expect(page.Locator("#filters select[name=status] option")).ToHaveTextAsync(["Any status", "escalated", "closed"]);
        await ShotAsync(page, "contact-queue");

        await row.Locator("a").ClickAsync();
        await Expect(page.Locator("#detail-title")).ToContainTextAsync("‘end it tonight’");
        await Expect(page.Locator("#decision-form")).ToBeHiddenAsync();
        await Expect(page.Locator("#report-download")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Acknowledge alert" }).ClickAsync();
        await Expect(page.Locator("#workflow-history")).ToContainTextAsync("Alert acknowledged by Riverside DSL (console)");
        await Expect(page.Locator("#acknowledge-form")).ToBeHiddenAsync();

        var response = page.Locator("#response-form");
        await response.Locator("textarea[name=actionTaken]").FillAsync("x");
        await response.GetByRole(AriaRole.Button, new() { Name = "Record and close the incident" }).ClickAsync();
        await Expect(response.Locator("[data-error-for=actionTaken]")).ToContainTextAsync("Between 3 and");
        await response.Locator("textarea[name=actionTaken]").FillAsync("Met the pupil with their parents; referred to CAMHS the same evening.");
        await response.Locator("input[name=actionBy]").FillAsync("Ms Patel, DSL");
        await response.GetByRole(AriaRole.Button, new() { Name = "Record and close the incident" }).ClickAsync();
        await Expect(page.Locator("#detail-pills")).ToContainTextAsync("closed");
        await Expect(response).ToBeHiddenAsync();
        await ShotAsync(page, "contact-incident");

        await Expect(banner).ToBeHiddenAsync(new() { Timeout = 15_000 });
        await staff.GotoAsync($"{_server.Url}#/incidents/{escalated}");
        var history = staff.Locator("#workflow-history");
        await Expect(history).ToContainTextAsync("The school's response");
        await Expect(history).ToContainTextAsync("Met the pupil with their parents; referred to CAMHS the same evening.");
        await Expect(history).ToContainTextAsync($"On {DateTime.UtcNow:yyyy-MM-dd} by Ms Patel, DSL — recorded by dsl@riverside");
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task The_school_set_up_is_read_only_for_the_schools_contact_and_a_senior_analyst_changes_contacts_protocol_and_the_report_password()
    {
        var page = await _browser.SignInAsync(_server.Url, ContactUsername, _contactPassword, Laptop);
        await page.GetByRole(AriaRole.Link, new() { Name = "School set-up" }).ClickAsync();
        await Expect(page.Locator("#setup-note")).ToBeVisibleAsync();
        await Expect(page.Locator("#contact-form")).ToBeHiddenAsync();
        await Expect(page.Locator("#protocol-rows input").First).ToBeDisabledAsync();
        await Expect(page.Locator("#retention-state")).ToContainTextAsync("kept 16 months");
        await Expect(page.Locator("#retention-form")).ToBeHiddenAsync();

        var senior = await _browser.SignInAsync(_server.Url, SeniorUsername, _seniorPassword, Laptop);
        await senior.GetByRole(AriaRole.Link, new() { Name = "School set-up" }).ClickAsync();
        await senior.Locator("#setup-school select").SelectOptionAsync(new SelectOptionValue { Label = "Riverside Academy" });
        await Expect(senior.Locator("#setup-note")).ToBeHiddenAsync();
        var form = senior.Locator("#contact-form");
        await form.Locator("input[name=name]").FillAsync("Priya Patel");
        await form.Locator("select[name=role]").SelectOptionAsync("dsl");
        await form.Locator("input[name=phone]").FillAsync("07700 900123");
        await form.GetByRole(AriaRole.Button, new() { Name = "Save contact" }).ClickAsync();
        await Expect(form.Locator("[data-error-for=phone]")).ToContainTextAsync("international form");
        await Expect(senior.Locator("#contact-rows tr")).ToHaveCountAsync(0);
        await form.Locator("input[name=phone]").FillAsync("+447700900123");
        await form.Locator("input[name=email]").FillAsync("dsl@riverside.example.org");
        await form.GetByRole(AriaRole.Button, new() { Name = "Save contact" }).ClickAsync();
        await Expect(senior.Locator("#contact-rows tr")).ToHaveCountAsync(1);
        await Expect(senior.Locator("#contact-rows tr")).ToContainTextAsync("Priya Patel");

        // Severity 5 must ring someone: the row says so, and nothing is saved.
        var five = senior.Locator("#protocol-rows tr[data-severity='5']");
        await five.Locator("input[name=phone]").UncheckAsync();
        await senior.GetByRole(AriaRole.Button, new() { Name = "Save protocol" }).ClickAsync();
        await Expect(five.Locator("[data-error-for='rules[5]']")).ToContainTextAsync("phone is required");
        await five.Locator("input[name=phone]").CheckAsync();
        await senior.Locator("#protocol-rows tr[data-severity='3'] input[name=withinMinutes]").FillAsync("120");
        await senior.GetByRole(AriaRole.Button, new() { Name = "Save protocol" }).ClickAsync();
        await Expect(senior.Locator("#protocol-status")).ToContainTextAsync("Saved");

        await senior.GetByRole(AriaRole.Button, new() { Name = "Make a new report password" }).ClickAsync();
        await Expect(senior.Locator("#password-value")).ToHaveTextAsync(new Regex(@"^\S{12,}$"));
        await Expect(senior.Locator("#password-state")).ToContainTextAsync("The school has a report password");
        var retention = senior.Locator("#retention-form");
        await retention.Locator("input[name=months]").FillAsync("0");
        await retention.GetByRole(AriaRole.Button, new() { Name = "Save retention" }).ClickAsync();
        await Expect(retention.Locator("[data-error-for=months]")).ToContainTextAsync("1 to 120 months");
        await retention.Locator("input[name=months]").FillAsync("24");
        await retention.GetByRole(AriaRole.Button, new() { Name = "Save retention" }).ClickAsync();
        await Expect(senior.Locator("#retention-status")).ToContainTextAsync("Saved");
        await Expect(senior.Locator("#retention-state")).ToContainTextAsync("kept 24 months");
        await ShotAsync(senior, "school-setup");

        var analyst = await _server.LoginAsAnalystAsync();
        var view = await analyst.GetSafeguardingAsync(_device.SchoolId, CancellationToken.None);
        view.Contacts.Should().ContainSingle(c => c.Name == "Priya Patel" && c.Phone == "+447700900123");
        view.Protocol.Rules.Single(r => r.Severity == 3).WithinMinutes.Should().Be(120);
        view.ReportPasswordSet.Should().BeTrue();
        (await analyst.GetRetentionAsync(_device.SchoolId, CancellationToken.None)).Months.Should().Be(24);
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task The_dashboard_draws_its_charts_with_chart_js_served_by_the_server()
    {
        await _device.UploadAsync(new PupilText("meet me behind the shops for the weed", "weed", "drugs", 2, Pupil()), DateTimeOffset.UtcNow.AddMinutes(-2), null);
        var page = await _browser.SignInAsync(_server.Url, _server.Demo.AnalystUsername, _server.Demo.AnalystPassword, Laptop);
        var library = page.WaitForResponseAsync(r => r.Url.EndsWith("/lib/chart.umd.min.js", StringComparison.Ordinal));
        await page.GetByRole(AriaRole.Link, new() { Name = "Dashboard" }).ClickAsync();
        var served = await library;
        served.Status.Should().Be(200);
        new Uri(served.Url).Authority.Should().Be(_server.Url.Authority, "chart.js comes from the server itself, never a CDN");
        await Expect(page.Locator("#chart-severity")).ToBeVisibleAsync();
        await Expect(page.Locator("#dashboard-figures")).ToContainTextAsync("incidents");
        var drawn = await page.WaitForFunctionAsync(
            "() => ['chart-category', 'chart-severity', 'chart-false-positives'].every(id => window.Chart?.getChart(id))"
            + " && window.Chart.getChart('chart-severity').data.datasets.flatMap(d => d.data).reduce((a, b) => a + b, 0) > 0");
        (await drawn.JsonValueAsync<bool>()).Should().BeTrue();
        (await page.Locator("#chart-severity").EvaluateAsync<int>("c => c.width")).Should().BeGreaterThan(100);
        await ShotAsync(page, "dashboard");
    }

    private static string Pupil() => $"pupil-{Guid.NewGuid():N}@example.org";

    private static async Task<List<string>> RowIdsAsync(IPage page) =>
        [.. await page.Locator("#rows > li").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.id)")];

    private static (int Undecided, int Serious) Counts(string? text)
    {
        var match = CountsText().Match(text ?? "");
        return (int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture));
    }

    private static async Task ShotAsync(IPage page, string name)
    {
        var path = Path.Combine(TestContext.CurrentContext.WorkDirectory, "console-screens", name + ".png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path });
        TestContext.AddTestAttachment(path, name);
    }

    private static string Line(string output, string name)
    {
        var match = Regex.Match(output, $@"^{Regex.Escape(name)}: (\S+)", RegexOptions.Multiline);
        match.Success.Should().BeTrue($"the command prints its {name}:\n{output}");
        return match.Groups[1].Value;
    }

    [GeneratedRegex(@"^(\d+) undecided · (\d+) serious$")]
    private static partial Regex CountsText();
}
