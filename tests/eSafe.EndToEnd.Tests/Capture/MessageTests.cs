namespace eSafe.EndToEnd.Tests.Capture;

/// <summary>
/// One message, one incident: the same text in the same box is reported once however often the pupil
/// pauses; the same words sent again as a new message (the chat cleared the box) are a new incident.
/// </summary>
[TestFixture]
public sealed class MessageTests : CaptureTest
{
    private const string Threat = "you are worthless and should go kill yourself";

    [Test]
    public async Task A_phrase_left_in_the_box_over_several_pauses_is_one_incident()
    {
        var page = await OpenAsync("capture/chat-room.html");
        var box = page.Locator("#box");
        await TypeAsync(box, Threat);
        await IncidentAsync();

        // Pause again with the same text: an edit that changes nothing, then another pause; then leave the box and come back.
        await TypeAsync(page, " ");
        await page.Keyboard.PressAsync("Backspace");
        await page.WaitForTimeoutAsync(1300);
        await page.Locator("h1").ClickAsync();
        await box.FocusAsync();
        await page.WaitForTimeoutAsync(1300);

        (await AllIncidentsAsync()).Should().ContainSingle();
    }

    [Test]
    public async Task A_phrase_the_pupil_goes_on_typing_after_a_pause_is_one_incident()
    {
        var page = await OpenAsync("capture/chat-room.html");
        var box = page.Locator("#box");
        await TypeAsync(box, "i want to kill myself");
        await IncidentAsync();

        await TypeAsync(page, " after the maths test tomorrow");
        await page.WaitForTimeoutAsync(1300);

        (await AllIncidentsAsync()).Should().ContainSingle("the pupil paused mid-message: it is still one message");
    }

    [Test]
    public async Task The_same_phrase_sent_again_as_a_new_message_is_a_second_incident()
    {
        var page = await OpenAsync("capture/chat-room.html");
        var box = page.Locator("#box");
        await TypeAsync(box, Threat);
        var first = await IncidentAsync();
        await page.Keyboard.PressAsync("Enter"); // the chat posts the message and clears the box

        await TypeAsync(box, Threat);
        await page.Keyboard.PressAsync("Enter");
        var both = await IncidentsAsync(2);

        (await page.Locator("#messages li").AllInnerTextsAsync()).Should().Equal(Threat, Threat);
        both.Should().HaveCount(2).And.OnlyContain(i => i.Source == "typed" && i.Category == "bullying" && i.Context == Threat);
        both[1].Id.Should().NotBe(first.Id);
        (await AllIncidentsAsync()).Should().HaveCount(2, "the chat's echo of the pupil's own messages is not page text to report again");
    }

    [Test]
    public async Task The_same_phrase_sent_again_after_an_edit_that_changed_nothing_is_a_second_incident()
    {
        var page = await OpenAsync("capture/chat-room.html");
        var box = page.Locator("#box");
        await TypeAsync(box, Threat);
        await IncidentAsync();
        // A letter typed and taken back: the box holds what was sent, then the chat sends and clears it.
        await TypeAsync(page, "s");
        await page.Keyboard.PressAsync("Backspace");
        await page.WaitForTimeoutAsync(1300);
        await page.Keyboard.PressAsync("Enter");

        await TypeAsync(box, Threat);
        await page.Keyboard.PressAsync("Enter");

        var both = await IncidentsAsync(2);
        both.Should().HaveCount(2).And.OnlyContain(i => i.Context == Threat);
    }
}
