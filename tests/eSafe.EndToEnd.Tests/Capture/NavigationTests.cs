namespace eSafe.EndToEnd.Tests.Capture;

/// <summary>Single-page apps: the URL changes with history.pushState and new fields appear, with no page load.</summary>
[TestFixture]
public sealed class NavigationTests : CaptureTest
{
    [Test]
    public async Task A_textarea_a_single_page_app_shows_after_pushState_is_captured_with_the_new_url()
    {
        var page = await OpenAsync("capture/spa.html");
        await page.Locator("#to-messages").ClickAsync();
        var compose = page.Locator("#compose");
        await compose.WaitForAsync();
        var newUrl = page.Url;
        await TypeAsync(compose, "nobody would miss me if i was gone");

        var incident = await IncidentAsync();

        newUrl.Should().Be(Chain.Pages.Page("capture/messages", Mark).ToString(), "pushState changed the URL (precondition)");
        (await page.EvaluateAsync<int>("() => window.loads")).Should().Be(1, "the page never reloaded");
        incident.Url.Should().Be(newUrl);
        incident.PageTitle.Should().Be("Class app: messages");
        incident.Context.Should().Be("nobody would miss me if i was gone");
    }
}
