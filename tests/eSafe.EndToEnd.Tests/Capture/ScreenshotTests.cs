using Microsoft.Playwright;

namespace eSafe.EndToEnd.Tests.Capture;

/// <summary>
/// The screenshot is of the tab the text was typed in. Only a tab its window shows can be captured: the
/// extension waits (up to 4 s, inside the host's 5 s) for the pupil to come back to it, and otherwise
/// reports why there is none. The typing page is red, the other one blue, so the image tells which tab it shows.
/// </summary>
[TestFixture]
public sealed class ScreenshotTests : CaptureTest
{
    private const string Threat = "i want to kill myself";

    [Test]
    public async Task Switching_away_straight_after_typing_and_back_a_second_later_gives_a_screenshot_of_the_typing_tab()
    {
        var typing = await OpenAsync("capture/screenshot.html");
        var other = await OpenAsync("capture/elsewhere.html");
        await typing.BringToFrontAsync();
        await TypeAsync(typing.Locator("#message"), Threat);
        await other.BringToFrontAsync();
        await Task.Delay(2000); // the pause (1 s), then about a second on the other tab while the host asks for the screenshot
        await typing.BringToFrontAsync();

        var incident = await IncidentAsync();
        var jpeg = await (await Chain.Analyst.GetScreenshotAsync(incident.Id, CancellationToken.None)).ReadAsByteArrayAsync();

        incident.HasScreenshot.Should().BeTrue(incident.ScreenshotMissingReason);
        var (red, green, blue) = await CentreColourAsync(other, jpeg);
        red.Should().BeGreaterThan(150, $"the image shows the red typing tab (rgb {red},{green},{blue})");
        blue.Should().BeLessThan(100, $"not the blue tab (rgb {red},{green},{blue})");
    }

    [Test]
    public async Task A_tab_left_in_the_background_has_no_screenshot_and_the_reason_says_so()
    {
        var typing = await OpenAsync("capture/screenshot.html");
        var other = await OpenAsync("capture/elsewhere.html");
        await typing.BringToFrontAsync();
        await TypeAsync(typing.Locator("#message"), Threat);
        await other.BringToFrontAsync();

        var incident = await IncidentAsync();

        incident.HasScreenshot.Should().BeFalse("the other tab is never captured in its place");
        incident.ScreenshotMissingReason.Should().Be("tab not visible");
    }

    /// <summary>The mean colour of the image's centre, decoded by the browser (no image library needed here).</summary>
    private static async Task<(int Red, int Green, int Blue)> CentreColourAsync(IPage page, byte[] jpeg)
    {
        var rgb = await page.EvaluateAsync<int[]>("""
            async (base64) => {
              const image = new Image();
              image.src = 'data:image/jpeg;base64,' + base64;
              await image.decode();
              const canvas = document.createElement('canvas');
              canvas.width = image.naturalWidth;
              canvas.height = image.naturalHeight;
              const g = canvas.getContext('2d');
              g.drawImage(image, 0, 0);
              const side = 20;
              const data = g.getImageData((canvas.width - side) / 2, (canvas.height - side) / 2, side, side).data;
              const sum = [0, 0, 0];
              for (let i = 0; i < data.length; i += 4) { sum[0] += data[i]; sum[1] += data[i + 1]; sum[2] += data[i + 2]; }
              return sum.map((s) => Math.round(s / (data.length / 4)));
            }
            """, Convert.ToBase64String(jpeg));
        return (rgb[0], rgb[1], rgb[2]);
    }
}
