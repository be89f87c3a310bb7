namespace eSafe.EndToEnd.Tests.Capture;

/// <summary>Text the pupil reads (source "page"): what a page shows when it loads, and what it adds later.</summary>
[TestFixture]
public sealed class PageTextTests : CaptureTest
{
    [Test]
    public async Task A_threat_in_a_pages_text_when_it_loads_is_one_page_incident()
    {
        await OpenAsync("capture/forum-post.html");

        var incident = await IncidentAsync();

        incident.Source.Should().Be("page");
        incident.MatchedText.Should().Be("kill myself");
        incident.PageTitle.Should().Be("Forum: feeling low");
        incident.Context.Should().Contain("Some nights I just want to kill myself and be done with it.");
        (await AllIncidentsAsync()).Should().ContainSingle();
    }

    [Test]
    public async Task A_threat_in_a_chat_message_appended_later_is_one_page_incident_while_messages_keep_coming()
    {
        var page = await OpenAsync("capture/chat-feed.html");

        var incident = await IncidentAsync();
        // Let more messages arrive after the threat: text already sent must not be sent again with them.
        await page.WaitForFunctionAsync("() => window.posted >= 6");
        var all = await AllIncidentsAsync();

        incident.Source.Should().Be("page");
        incident.MatchedText.Should().Be("kill myself");
        incident.Context.Should().Contain("Kim: i honestly want to kill myself after that test")
            .And.NotContain("has anyone done the maths homework", "the text there when the page loaded was sent before the threat arrived");
        all.Should().ContainSingle("each message is read once, however many come after it");
    }

    [Test]
    public async Task The_same_phrase_in_two_chat_messages_from_two_people_is_two_page_incidents()
    {
        var page = await OpenAsync("capture/chat-feed-twice.html");

        var incidents = await IncidentsAsync(2);

        incidents.Should().OnlyContain(i => i.Source == "page" && i.MatchedText == "kill myself");
        incidents[0].Context.Should().Contain("Kim: i honestly want to kill myself after that test");
        incidents[1].Context.Should().Contain("Lee: me too, some days i want to kill myself");
        await page.WaitForFunctionAsync("() => window.posted >= 4");
        (await AllIncidentsAsync()).Should().HaveCount(2);
    }

    [Test]
    public async Task Text_of_a_frame_whose_document_the_page_rewrote_with_document_open_is_read_each_time()
    {
        // document.open drops every listener of the frame's window and document, the page-text script's included,
        // and replaces the document the script started on; the frame is written once on load and again later.
        var page = await OpenAsync("capture/written-page.html");
        await page.Locator("body[data-ready=yes]").WaitForAsync();
        var first = await IncidentAsync();
        await page.EvaluateAsync("() => rewrite()");

        var second = await IncidentAsync(i => i.Category == "suicide");

        first.Category.Should().Be("violence", "the frame's first written document is read");
        first.PageTitle.Should().Be("Story frame");
        second.Source.Should().Be("page");
        second.MatchedText.Should().Be("kill myself");
        second.PageTitle.Should().Be("Story frame");
        second.Context.Should().Contain("Nobody listens, so tonight I will kill myself.");
        (await AllIncidentsAsync()).Should().HaveCount(2);
    }

    [Test]
    public async Task On_a_page_that_never_goes_quiet_each_new_chat_line_is_read_within_two_seconds()
    {
        // A clock ticks every 300 ms, so the page is never quiet for the 500 ms the reader waits for; new lines
        // come at different moments of its ticks. Measured from a line's appearance (the page's clock) to its
        // event (the worker's clock): one machine.
        var page = await OpenAsync("capture/busy-chat.html");
        string[] phrases = ["kill myself", "stab you", "send me a pic", "kill yourself"];

        var incidents = await IncidentsAsync(phrases.Length, timeout: TimeSpan.FromSeconds(40));
        var appeared = await page.EvaluateAsync<Dictionary<string, long>>("() => window.appearedAt");

        incidents.Should().OnlyContain(i => i.Source == "page");
        // The library may match more of a line than the phrase (a rule such as "going to stab you"): each incident is
        // named by the page's phrase its match holds.
        var lines = incidents.Select(i => phrases.Single(p => i.MatchedText.Contains(p, StringComparison.Ordinal))).ToList();
        lines.Should().BeEquivalentTo(phrases, "one incident a line");
        var delays = incidents.Zip(lines).ToDictionary(x => x.Second, x => x.First.OccurredAt - DateTimeOffset.FromUnixTimeMilliseconds(appeared[x.Second]));
        TestContext.Out.WriteLine("from appearance to event: " + string.Join(", ", delays.Select(d => $"{d.Key} {d.Value.TotalMilliseconds:0} ms")));
        delays.Values.Should().OnlyContain(d => d <= TimeSpan.FromSeconds(2), "new page text is read within 2 s of appearing, however busy the page");
    }
}
