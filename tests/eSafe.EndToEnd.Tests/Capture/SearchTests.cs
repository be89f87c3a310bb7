using eSafe.EndToEnd.Tests.Support;

namespace eSafe.EndToEnd.Tests.Capture;

/// <summary>
/// Search queries read from search engines' results URLs (source "search"). Chromium resolves the engines'
/// names to the local search servers (<see cref="CaptureChain.SearchHosts"/>): over plain http, and over https
/// with a self-signed certificate for the names Chromium only reaches over https (www.youtube.com is
/// HSTS-preloaded).
/// </summary>
[TestFixture]
public sealed class SearchTests : CaptureTest
{
    [Test]
    public async Task A_google_search_for_a_threat_is_a_search_incident()
    {
        var url = $"http://www.google.com/search?q=how+to+kill+myself&{Mark}";
        await OpenUrlAsync(url);

        var incident = await IncidentAsync();

        incident.Source.Should().Be("search");
        incident.Url.Should().Be(url);
        incident.MatchedText.Should().Be("kill myself");
        incident.Context.Should().Be("how to kill myself");
        (await AllIncidentsAsync()).Should().ContainSingle("the results page shows no threat of its own");
    }

    [Test]
    public async Task A_youtube_search_for_a_threat_is_a_search_incident()
    {
        var url = $"https://www.youtube.com/results?search_query=go+kill+yourself+prank&{Mark}";
        await OpenUrlAsync(url);

        var incident = await IncidentAsync();

        incident.Source.Should().Be("search");
        incident.Category.Should().Be("bullying");
        incident.Context.Should().Be("go kill yourself prank");
    }

    [Test]
    public async Task A_results_page_that_only_changes_page_keeps_its_query_and_is_not_reported_again()
    {
        var page = await OpenUrlAsync($"http://www.google.com/search?q=how+to+tie+a+noose&{Mark}");
        await IncidentAsync();

        await page.GotoAsync($"http://www.google.com/search?q=how+to+tie+a+noose&start=10&{Mark}");
        await page.GotoAsync($"http://www.google.com/search?q=how+to+tie+a+noose&tbm=isch&{Mark}");

        (await AllIncidentsAsync()).Should().ContainSingle().Which.Context.Should().Be("how to tie a noose");
    }

    [Test]
    public async Task A_second_different_search_with_the_same_phrase_in_the_same_tab_is_a_second_incident()
    {
        var page = await OpenUrlAsync($"http://www.google.com/search?q=how+to+kill+myself&{Mark}");
        await IncidentAsync();

        await page.GotoAsync($"http://www.google.com/search?q=kill+myself+painlessly+tonight&{Mark}");
        var both = await IncidentsAsync(2);

        both.Select(i => i.Context).Should().Equal("how to kill myself", "kill myself painlessly tonight");
    }
}
