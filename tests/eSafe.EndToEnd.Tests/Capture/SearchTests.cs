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
        (await AllIncidentsAsync()).Should().ContainSingle("the results page shows the query: that is the search's incident, not a second one");
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

    [Test]
    public async Task One_search_for_a_threat_whose_results_page_shows_the_query_is_exactly_one_incident()
    {
        // The results page shows the query in its heading and a suggestion ("… meaning"), as real engines do.
        var url = $"http://www.bing.com/search?q=i+want+to+kill+myself&{Mark}";
        var page = await OpenUrlAsync(url);
        (await page.Locator("h1").InnerTextAsync()).Should().Contain("i want to kill myself", "the page shows the query (precondition)");

        var search = await IncidentAsync();
        // The results page's text is read once it has loaded and is idle, well within this; then a marker typed
        // into its search box (not sent), whose incident comes after anything the page's text made.
        await page.WaitForFunctionAsync("() => document.readyState === 'complete'");
        await page.WaitForTimeoutAsync(2500);
        await page.Locator("#q").FillAsync("");
        await TypeAsync(page.Locator("#q"), "please send me a pic tonight");
        await IncidentAsync(i => i.Category == "grooming");
        var all = await AllIncidentsAsync();

        search.Source.Should().Be("search");
        search.Context.Should().Be("i want to kill myself");
        all.Should().HaveCount(2, "the search and the results page's echo of it are one event; the marker is the other")
            .And.ContainSingle(i => i.MatchedText == "kill myself");
    }

    // A real results page quotes the threat in its snippets with other words around it, not only the whole query
    // (which the results page's text is sent without): here "kill myself" in a forum thread's title.
    private const string Snippet = "Forum: some nights I think I will kill myself. Replies from people who got through it";

    [Test]
    public async Task A_results_page_snippet_that_repeats_the_searched_threat_is_not_a_second_incident()
    {
        var url = $"http://www.google.com/search?q=how+to+kill+myself&result={Uri.EscapeDataString(Snippet)}&{Mark}";
        var page = await OpenUrlAsync(url);
        (await page.Locator("#results").InnerTextAsync()).Should().Contain("kill myself", "a snippet repeats the threat (precondition)");

        var search = await IncidentAsync();
        await TypeMarkerAfterThePageTextAsync(page);
        var all = await AllIncidentsAsync();

        search.Source.Should().Be("search");
        search.Context.Should().Be("how to kill myself");
        all.Should().HaveCount(2, "the search and its results page's snippet of the same threat are one event; the marker is the other")
            .And.ContainSingle(i => i.RuleId == search.RuleId);
    }

    [Test]
    public async Task A_search_typed_in_a_results_page_box_whose_results_repeat_the_threat_is_one_incident()
    {
        var page = await OpenUrlAsync($"http://www.bing.com/search?q=weather+tomorrow&{Mark}");
        // The next results page has a snippet that repeats the threat (the form keeps the page's other parameters).
        await page.EvalOnSelectorAsync("#search", "(form, snippet) => form.append(Object.assign(document.createElement('input'), { type: 'hidden', name: 'result', value: snippet }))", Snippet);

        await page.Locator("#q").FillAsync("");
        await TypeAsync(page.Locator("#q"), "how to kill myself");
        await page.Locator("#q").PressAsync("Enter");
        await page.WaitForURLAsync(u => u.Contains("q=how+to+kill+myself", StringComparison.Ordinal));
        (await page.Locator("#results").InnerTextAsync()).Should().Contain("kill myself", "a snippet repeats the threat (precondition)");

        var first = await IncidentAsync();
        await TypeMarkerAfterThePageTextAsync(page);
        var all = await AllIncidentsAsync();

        first.MatchedText.Should().Be("kill myself");
        all.Should().HaveCount(2, "what the pupil typed, its search and the results page's snippet of the same threat are one event; the marker is the other")
            .And.ContainSingle(i => i.RuleId == first.RuleId);
    }

    // The results page's text is read once it has loaded and is idle, well within this; then a marker typed into its
    // search box (not sent), whose incident comes after anything the page's text made.
    private async Task TypeMarkerAfterThePageTextAsync(Microsoft.Playwright.IPage page)
    {
        await page.WaitForFunctionAsync("() => document.readyState === 'complete'");
        await page.WaitForTimeoutAsync(2500);
        await page.Locator("#q").FillAsync("");
        await TypeAsync(page.Locator("#q"), "please send me a pic tonight");
        await IncidentsAsync(1, i => i.Category == "grooming");
    }
}
