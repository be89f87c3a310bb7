namespace eSafe.EndToEnd.Tests.Capture;

/// <summary>
/// The extension sends a field's text as it stands after the pupil's edits, never their keystrokes: what
/// was deleted, replaced or undone before a pause is not reported, what was pasted is.
/// </summary>
[TestFixture]
public sealed class FinalTextTests : CaptureTest
{
    [Test]
    public async Task Backspaced_before_a_pause_a_phrase_is_not_reported_and_the_context_is_the_final_text()
    {
        var page = await OpenAsync("capture/textarea.html");
        var box = page.Locator("#message");
        await TypeAsync(box, "i want to kill myself");
        await PressAsync(page, "Backspace", "myself".Length);
        await TypeAsync(page, "time before the bus so send me a pic");

        var incident = await IncidentAsync();

        incident.Category.Should().Be("grooming");
        incident.Context.Should().Be("i want to kill time before the bus so send me a pic");
        (await AllIncidentsAsync()).Should().ContainSingle("'kill myself' was deleted before any pause");
    }

    [Test]
    public async Task A_selection_replaced_by_typing_is_what_the_incident_holds()
    {
        var page = await OpenAsync("capture/textarea.html");
        var box = page.Locator("#message");
        await TypeAsync(box, "i want to go home");
        await PressAsync(page, "Shift+ArrowLeft", "go home".Length);
        await TypeAsync(page, "kill myself");

        var incident = await IncidentAsync();

        incident.MatchedText.Should().Be("kill myself");
        incident.Context.Should().Be("i want to kill myself");
    }

    [Test]
    public async Task Pasted_text_is_captured_with_what_was_typed_around_it()
    {
        var page = await OpenAsync("capture/textarea.html");
        var box = page.Locator("#message");
        await TypeAsync(box, "my friend said ");
        await PasteAsync(page, "i want to kill myself");
        await TypeAsync(page, " at lunch");

        var incident = await IncidentAsync();

        (await box.InputValueAsync()).Should().Be("my friend said i want to kill myself at lunch", "the paste went in (precondition)");
        incident.Context.Should().Be("my friend said i want to kill myself at lunch");
    }

    [Test]
    public async Task An_undone_paste_is_not_reported()
    {
        var page = await OpenAsync("capture/textarea.html");
        var box = page.Locator("#message");
        await TypeAsync(box, "everything is rubbish ");
        await PasteAsync(page, "and i want to kill myself ");
        await page.Keyboard.PressAsync("Control+Z");
        var afterUndo = await box.InputValueAsync();
        await TypeAsync(page, "so send me a pic");

        var incident = await IncidentAsync();

        afterUndo.Should().Be("everything is rubbish ", "the browser's undo took the paste away (precondition)");
        incident.Category.Should().Be("grooming");
        incident.Context.Should().Be("everything is rubbish so send me a pic");
        (await AllIncidentsAsync()).Should().ContainSingle();
    }
}
