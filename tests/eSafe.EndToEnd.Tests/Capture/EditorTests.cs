using eSafe.EndToEnd.Tests.Support;

namespace eSafe.EndToEnd.Tests.Capture;

/// <summary>
/// Real open-source rich-text editors from npm (Pages/editors/package.json; build.cake's Test target runs
/// npm ci there), served locally: what the pupil sees in the editor is what the incident's context holds.
/// </summary>
[TestFixture]
public sealed class EditorTests : CaptureTest
{
    [OneTimeSetUp]
    public void EditorsAreInstalled()
    {
        var editors = Path.Combine(RepositoryLayout.Root, "tests", "eSafe.EndToEnd.Tests", "Pages", "editors");
        foreach (var file in new[] { "quill/dist/quill.js", "prosemirror-view/dist/index.js", "@xterm/xterm/lib/xterm.js" })
        {
            RepositoryLayout.Require(Path.Combine(editors, "node_modules", file), $"run ./build.sh --target=Test (or npm ci in {editors})");
        }
    }

    [Test]
    public async Task Quill_a_threat_typed_in_the_editor_makes_one_typed_incident_with_the_editors_text()
    {
        var page = await OpenAsync("editors/quill.html");
        var editor = page.Locator("#editor .ql-editor");
        await editor.ClickAsync();
        await TypeAsync(editor, "after school i just want to kill myself");

        var incident = await IncidentAsync();
        var shown = await page.EvaluateAsync<string>("() => quill.getText()");

        incident.Source.Should().Be("typed");
        incident.MatchedText.Should().Be("kill myself");
        incident.Category.Should().Be("suicide");
        incident.PageTitle.Should().Be("Quill essay");
        incident.Context.Trim().Should().Be(shown.Trim()).And.Be("after school i just want to kill myself");
        (await AllIncidentsAsync()).Should().ContainSingle("the editor's text is typed text, not page text as well");
    }

    [Test]
    public async Task Quill_undo_takes_a_typed_threat_out_of_the_text_that_is_reported()
    {
        var page = await OpenAsync("editors/quill.html");
        var editor = page.Locator("#editor .ql-editor");
        await editor.ClickAsync();
        await TypeAsync(editor, "everything is rubbish ");
        // Quill's history merges changes less than a second apart: close the undo step here, as a pause of a second would.
        await page.EvaluateAsync("() => quill.getModule('history').cutoff()");
        await TypeAsync(page, "and i want to kill myself");
        await page.Keyboard.PressAsync("Control+Z"); // Quill's own undo: it changes the text through its API, with no input event
        var afterUndo = await page.EvaluateAsync<string>("() => quill.getText()");
        await TypeAsync(page, "so send me a pic");

        var incident = await IncidentAsync();
        var shown = (await page.EvaluateAsync<string>("() => quill.getText()")).Trim();

        afterUndo.Trim().Should().Be("everything is rubbish", "Quill's undo took the threat away (precondition)");
        incident.Category.Should().Be("grooming");
        incident.Context.Trim().Should().Be(shown).And.Be("everything is rubbish so send me a pic");
        (await AllIncidentsAsync()).Should().ContainSingle("the undone phrase was never on screen at a pause");
    }

    [Test]
    public async Task Quill_a_threat_pasted_and_sent_without_typing_is_captured()
    {
        // Quill handles paste itself (it cancels the browser's paste and inserts through its API): no input event follows.
        var page = await OpenAsync("editors/quill.html");
        var editor = page.Locator("#editor .ql-editor");
        await editor.ClickAsync();
        await PasteAsync(page, "you are worthless and should go kill yourself");
        (await page.EvaluateAsync<string>("() => quill.getText()")).Trim()
            .Should().Be("you are worthless and should go kill yourself", "Quill took the paste (precondition)");

        var incident = await IncidentAsync();

        incident.Source.Should().Be("typed");
        incident.Context.Trim().Should().Be("you are worthless and should go kill yourself");
    }

    [Test]
    public async Task ProseMirror_a_threat_typed_in_the_editor_makes_one_typed_incident_with_the_editors_text()
    {
        var page = await OpenAsync("editors/prosemirror.html");
        await page.Locator("body[data-ready=true]").WaitForAsync();
        var editor = page.Locator("#editor .ProseMirror");
        await editor.ClickAsync();
        await TypeAsync(editor, "nobody would miss me if i was gone");

        var incident = await IncidentAsync();

        incident.Source.Should().Be("typed");
        incident.Category.Should().Be("suicide");
        incident.PageTitle.Should().Be("ProseMirror notes");
        incident.Context.Trim().Should().Be("nobody would miss me if i was gone");
        (await AllIncidentsAsync()).Should().ContainSingle();
    }

    [Test]
    public async Task ProseMirror_a_selection_replaced_by_typing_is_what_the_incident_holds()
    {
        var page = await OpenAsync("editors/prosemirror.html");
        await page.Locator("body[data-ready=true]").WaitForAsync();
        var editor = page.Locator("#editor .ProseMirror");
        await editor.ClickAsync();
        await TypeAsync(editor, "i want to go home");
        await PressAsync(page, "Shift+ArrowLeft", "go home".Length);
        await TypeAsync(page, "kill myself");

        var incident = await IncidentAsync();

        (await editor.InnerTextAsync()).Trim().Should().Be("i want to kill myself", "the selection was replaced (precondition)");
        incident.Context.Trim().Should().Be("i want to kill myself");
    }

    [Test]
    public async Task Xterm_a_threat_typed_in_the_terminal_makes_one_typed_incident_from_its_keys()
    {
        // xterm.js cancels the keydown of every printable key and reads keys itself: no input event, and its hidden
        // textarea stays empty, so only the keys tell what was typed (Backspace included).
        var page = await OpenAsync("editors/xterm.html");
        await page.Locator("body[data-ready=true]").WaitForAsync();
        await page.Locator("#terminal").ClickAsync();
        await TypeAsync(page, "echo hello");
        await PressAsync(page, "Enter");
        await TypeAsync(page, "i want to kill mysrl");
        await PressAsync(page, "Backspace", 2);
        await TypeAsync(page, "elf tonight");

        var incident = await IncidentAsync();
        var lines = await page.EvaluateAsync<string[]>("() => window.lines.concat([''])");
        var helper = await page.EvaluateAsync<string>("() => document.querySelector('.xterm-helper-textarea').value");

        helper.Trim().Should().BeEmpty("the terminal keeps no text in its textarea (precondition)");
        lines[0].Should().Be("echo hello", "the terminal took the keys (precondition)");
        incident.Source.Should().Be("typed");
        incident.MatchedText.Should().Be("kill myself");
        incident.PageTitle.Should().Be("Terminal");
        incident.Context.Should().Be("echo hello\ni want to kill myself tonight");
        (await AllIncidentsAsync()).Should().ContainSingle();
    }

    [Test]
    public async Task A_docs_like_editor_that_empties_its_input_frame_after_every_key_makes_one_typed_incident()
    {
        // Keystrokes go into a hidden frame's editable body, which the page empties after each one; the document is
        // drawn on a canvas. Backspace and Enter are cancelled on keydown and handled by the page.
        var page = await OpenAsync("editors/docs-like.html");
        await page.Locator("body[data-ready=true]").WaitForAsync();
        await page.Locator("#page").ClickAsync();
        await TypeAsync(page, "My diary");
        await PressAsync(page, "Enter");
        await TypeAsync(page, "some days i want to kill mysefl");
        await PressAsync(page, "Backspace", 2);
        await TypeAsync(page, "lf");

        var incident = await IncidentAsync();
        var model = await page.EvaluateAsync<string>("() => model");
        var body = await page.FrameLocator("iframe.text-event-target").Locator("body").InnerTextAsync();

        model.Should().Be("My diary\nsome days i want to kill myself", "the page took every key (precondition)");
        body.Should().BeEmpty("the input frame keeps nothing (precondition)");
        incident.Source.Should().Be("typed");
        incident.MatchedText.Should().Be("kill myself");
        incident.Context.Should().Be(model);
        (await AllIncidentsAsync()).Should().ContainSingle();
    }
}
