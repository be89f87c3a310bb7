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
}
