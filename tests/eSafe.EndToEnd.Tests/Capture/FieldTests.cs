namespace eSafe.EndToEnd.Tests.Capture;

/// <summary>Fields wherever a page puts them: shadow roots, late renders, same- and cross-origin frames; and the fields never read.</summary>
[TestFixture]
public sealed class FieldTests : CaptureTest
{
    [Test]
    public async Task A_text_input_and_a_contenteditable_inside_an_open_shadow_root_are_captured()
    {
        var page = await OpenAsync("capture/shadow.html");
        // Playwright's CSS locators pierce open shadow roots.
        await TypeAsync(page.Locator("comment-box #title"), "please send me a pic tonight");
        await page.Locator("comment-box #body").ClickAsync();
        await TypeAsync(page, "you are worthless and should go kill yourself");

        var incidents = await IncidentsAsync(2);

        incidents.Should().HaveCount(2);
        incidents.Should().ContainSingle(i => i.Category == "grooming").Which.Context.Should().Be("please send me a pic tonight");
        incidents.Should().ContainSingle(i => i.Category == "bullying").Which.Context.Trim().Should().Be("you are worthless and should go kill yourself");
        incidents.Should().OnlyContain(i => i.Source == "typed" && i.PageTitle == "Shadow widgets");
    }

    [Test]
    public async Task A_field_added_after_the_page_loaded_is_captured()
    {
        var page = await OpenAsync("capture/late-field.html");
        var reply = page.Locator("#reply");
        await reply.WaitForAsync();
        await TypeAsync(reply, "i will hurt myself tonight");

        var incident = await IncidentAsync();

        incident.Category.Should().Be("self-harm");
        incident.Context.Should().Be("i will hurt myself tonight");
    }

    [Test]
    public async Task Text_typed_in_a_same_origin_frame_and_in_a_cross_origin_frame_is_captured_with_each_frames_url()
    {
        var page = await OpenAsync("capture/frames.html", $"other={Chain.OtherOrigin.Port}");
        await TypeAsync(page.FrameLocator("#same").Locator("#answer"), "i am going to stab you");
        await TypeAsync(page.FrameLocator("#cross").Locator("#answer"), "after school i just want to kill myself");

        var incidents = await IncidentsAsync(2);

        var same = incidents.Should().ContainSingle(i => i.Category == "violence").Subject;
        same.Context.Should().Be("i am going to stab you");
        same.Url.Should().StartWith(Chain.Pages.Page("capture/frame-inner.html").ToString());
        var cross = incidents.Should().ContainSingle(i => i.Category == "suicide").Subject;
        cross.Context.Should().Be("after school i just want to kill myself");
        cross.Url.Should().StartWith(Chain.OtherOrigin.Page("capture/frame-inner.html").ToString(), "the frame's own origin, another port");
        incidents.Should().OnlyContain(i => i.Source == "typed" && i.PageTitle == "Embedded tool");
    }

    [Test]
    public async Task Text_typed_in_frames_whose_document_the_page_wrote_with_document_open_is_captured()
    {
        var page = await OpenAsync("capture/written-frames.html");
        await page.Locator("body[data-ready=yes]").WaitForAsync();
        await TypeAsync(page.FrameLocator("#plain").Locator("#notes"), "i am going to stab you");
        await page.FrameLocator("#rich").Locator("#essay").ClickAsync();
        await TypeAsync(page, "after school i just want to kill myself");

        var incidents = await IncidentsAsync(2);

        incidents.Should().ContainSingle(i => i.Category == "violence").Which.Context.Should().Be("i am going to stab you");
        incidents.Should().ContainSingle(i => i.Category == "suicide").Which.Context.Trim().Should().Be("after school i just want to kill myself");
        incidents.Should().OnlyContain(i => i.Source == "typed" && i.PageTitle == "Essay frame",
            "each frame's own written document, not the page around it");
    }

    [Test]
    public async Task Password_card_and_one_time_code_fields_are_never_captured()
    {
        var page = await OpenAsync("capture/secrets.html");
        await TypeAsync(page.Locator("#password"), "i want to kill myself");
        await TypeAsync(page.Locator("#card"), "i want to kill myself");
        await TypeAsync(page.Locator("#card-name"), "i want to kill myself");
        await TypeAsync(page.Locator("#otp"), "i want to kill myself");
        // Left at a pause on purpose: a secret field's text must not go out on the pause timer either.
        await page.WaitForTimeoutAsync(1200);
        // The marker: a normal field, typed after the secrets, so its incident comes after anything they made.
        await TypeAsync(page.Locator("#note"), "please send me a pic tonight");

        var marker = await IncidentAsync(i => i.Category == "grooming");
        var all = await AllIncidentsAsync();

        marker.Context.Should().Be("please send me a pic tonight");
        all.Should().ContainSingle("password, cc-number, cc-name and one-time-code fields are never read")
            .Which.Category.Should().Be("grooming");
    }
}
