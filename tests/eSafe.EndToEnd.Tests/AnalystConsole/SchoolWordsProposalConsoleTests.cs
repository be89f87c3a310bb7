using eSafe.Contracts.Http;
using eSafe.EndToEnd.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace eSafe.EndToEnd.Tests.AnalystConsole;

/// <summary>
/// The console's Proposals view in real Chromium against the server as a process: a senior analyst adds a false
/// positive's proposed words to the school's words as context (a number in "near"), not as an exception.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class SchoolWordsProposalConsoleTests
{
    private TemporaryFolder _folder = null!;
    private ServerProcess _server = null!;
    private ConsoleBrowser _browser = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _folder = new TemporaryFolder("esafe-console");
        _server = await ServerProcess.StartAsync(_folder.Sub("server-data"), TimeSpan.FromSeconds(60));
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
    public async Task A_senior_analyst_adds_proposed_words_to_the_schools_words_as_context()
    {
        // An incident from a lesson, decided a false positive, with words that lie near such a match in a lesson.
        var analyst = await _server.LoginAsAnalystAsync();
        var schoolId = _server.Demo.SchoolId;
        using var device = await TestDevice.EnrolAsync(_server.Url, _server.Demo.EnrolmentCode, "LAB-PC-31");
        var id = await device.UploadAsync(new PupilText("in our drama lesson we act out the scene where he says i will stab him", "stab him", "violence", 4),
            DateTimeOffset.UtcNow.AddMinutes(-2), null);
        var incident = await analyst.GetIncidentAsync(id, CancellationToken.None);
        await analyst.DecideAsync(incident.Id, new DecisionRequest
        {
            Outcome = DecisionOutcomes.NoAction, NoActionReason = NoActionReasons.FalsePositive, ProposedException = "drama lesson",
            ExpectedVersion = incident.Workflow.Version,
        }, CancellationToken.None);
        var proposal = (await analyst.ListProposalsAsync(CancellationToken.None)).Single(p => p.IncidentId == incident.Id);

        var page = await _browser.SignInAsync(_server.Url, _server.Demo.AnalystUsername, _server.Demo.AnalystPassword);
        await page.GotoAsync($"{_server.Url}#/proposals");
        var row = page.Locator($"#proposal-rows tr[data-id='{proposal.Id}']");
        await row.Locator("input[name=near]").FillAsync("7");
        await row.GetByRole(AriaRole.Button, new() { Name = "Add to the school's words" }).ClickAsync();
        await Expect(row).ToHaveCountAsync(0);
        await page.Locator("#proposals-state").SelectOptionAsync("accepted");
        await Expect(page.Locator($"#proposal-rows tr[data-id='{proposal.Id}']")).ToContainTextAsync("accepted (school, as context within 7 words)");

        var layer = await analyst.GetSchoolLayerAsync(schoolId, CancellationToken.None);
        var copy = layer.Entries.Should().ContainSingle(e => e.Id == "g-" + incident.RuleId).Subject;
        copy.Context.Should().EndWith("unless 7: drama lesson");
        (copy.Exceptions ?? []).Should().NotContain("drama lesson");
        layer.DisabledGlobalIds.Should().Contain(incident.RuleId);
        (await analyst.ListProposalsAsync(CancellationToken.None)).Single(p => p.Id == proposal.Id).Near.Should().Be(7);
    }
}
