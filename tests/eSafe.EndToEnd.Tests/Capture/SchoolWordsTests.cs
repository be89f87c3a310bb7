using System.Diagnostics;
using eSafe.Contracts.Http;
using eSafe.Detection;
using eSafe.EndToEnd.Tests.Support;

namespace eSafe.EndToEnd.Tests.Capture;

/// <summary>
/// A school's own word, added through the server's console API, reaches the host (which asks for its
/// libraries whenever it starts, and every 15 minutes) and makes an incident when a pupil types it; its context
/// (<c>unless</c>) holds on the host as it does in the library.
/// </summary>
[TestFixture]
public sealed class SchoolWordsTests : CaptureTest
{
    [Test]
    public async Task A_word_the_school_added_makes_an_incident_once_the_host_has_fetched_it()
    {
        var schoolId = Chain.Server.Demo.SchoolId;
        var layer = await Chain.Analyst.SaveSchoolEntryAsync(schoolId, "e2e-florbnax",
            new SchoolEntry("e2e-florbnax", "florbnax+ shed", ThreatCategories.Bullying, 4, "en-GB", null), CancellationToken.None);
        var page = await OpenAsync("capture/textarea.html");
        var cdp = await Chain.Context.NewCDPSessionAsync(page);

        // A new host process starts with the next message, and asks the server for its libraries first thing.
        await StopWorkerAsync(cdp);
        await TypeAsync(page.Locator("#message"), "hello ");
        await WaitForSchoolLayerAsync(layer.Version, TimeSpan.FromSeconds(20));
        await TypeAsync(page, "see you behind the florbnaxing shed after school");

        var incident = await IncidentAsync();

        incident.RuleId.Should().Be($"{schoolId}.e2e-florbnax", "a school's entries live in its own namespace");
        incident.MatchedText.Should().Be("florbnaxing shed");
        incident.Category.Should().Be(ThreatCategories.Bullying);
        incident.Severity.Should().Be(4);
        incident.LibraryVersion.Should().Contain($"+school-{schoolId}-{layer.Version}");
    }

    [Test]
    public async Task A_school_word_with_unless_is_no_incident_beside_its_context_words_and_one_without_them()
    {
        // The school's teams are the Gribblers: "gribble+" is a threat unless a team word is within 3 words of it.
        var schoolId = Chain.Server.Demo.SchoolId;
        var layer = await Chain.Analyst.SaveSchoolEntryAsync(schoolId, "e2e-mascot",
            new SchoolEntry("e2e-mascot", "gribble+", ThreatCategories.Violence, 3, "en-GB", null, "unless 3: gribblers|match|team"),
            CancellationToken.None);
        var page = await OpenAsync("capture/textarea.html");
        var cdp = await Chain.Context.NewCDPSessionAsync(page);
        await StopWorkerAsync(cdp);
        await TypeAsync(page.Locator("#message"), "hello ");
        await WaitForSchoolLayerAsync(layer.Version, TimeSpan.FromSeconds(20));

        await TypeAsync(page, "go gribblers go, our team gribbled them. ");
        await TypeAsync(page, "i will gribble you after school");

        var incident = await IncidentAsync();
        incident.RuleId.Should().Be($"{schoolId}.e2e-mascot");
        incident.MatchedText.Should().Be("gribble", "the team word is 5 words before it");
        (await AllIncidentsAsync()).Should().ContainSingle("'gribblers' and 'gribbled' beside 'team' are cancelled by the context")
            .Which.Id.Should().Be(incident.Id);
    }

    private static async Task WaitForSchoolLayerAsync(int version, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var status = "";
        while (clock.Elapsed < timeout)
        {
            status = await HostInstallation.StatusAsync(Chain.HostStateDirectory);
            if (status.Contains($"school layer version {version} ", StringComparison.Ordinal))
            {
                TestContext.Progress.WriteLine($"  the host had school layer version {version} after {clock.Elapsed.TotalSeconds:0.0} s");
                return;
            }

            await Task.Delay(200);
        }

        Assert.Fail($"the host did not fetch school layer version {version} within {timeout.TotalSeconds:0} s; status:\n{status}");
    }
}
