using eSafe.EndToEnd.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace eSafe.EndToEnd.Tests.AnalystConsole;

/// <summary>The analysts' "missed" signal from the incident page: refused beside its field, then filed; a school's contact never sees it.</summary>
public sealed partial class IncidentConsoleTests
{
    [Test]
    [CancelAfter(120_000)]
    public async Task A_sentence_the_library_missed_is_refused_without_a_category_then_filed_from_the_incident_page()
    {
        var id = await _device.UploadAsync(new PupilText("anyone got weed? no one would notice if i just wasnt here anymore", "weed", "drugs", 2, Pupil()),
            DateTimeOffset.UtcNow.AddMinutes(-2), _jpeg);
        var page = await _browser.SignInAsync(_server.Url, SeniorUsername, _seniorPassword, Laptop);
        await page.GotoAsync($"{_server.Url}#/incidents/{id}");
        var form = page.Locator("#missed-form");
        await Expect(form).ToBeVisibleAsync();

        await form.Locator("input[name=text]").FillAsync("no one would notice if i just wasnt here anymore");
        await form.GetByRole(AriaRole.Button, new() { Name = "File as missed" }).ClickAsync();
        await Expect(form.Locator("[data-error-for=category]")).ToContainTextAsync("The category must be one of");
        await Expect(page.Locator("#missed-error")).ToContainTextAsync("Nothing was saved");

        await form.Locator("select[name=category]").SelectOptionAsync("suicide");
        await form.GetByRole(AriaRole.Button, new() { Name = "File as missed" }).ClickAsync();
        await Expect(page.Locator("#missed-done")).ToHaveTextAsync("Filed as missed (suicide).");
        await Expect(form.Locator("input[name=text]")).ToHaveValueAsync("");
        await Expect(page.Locator("#detail-pills")).ToContainTextAsync("new");

        var contact = await _browser.SignInAsync(_server.Url, ContactUsername, _contactPassword, Laptop);
        await contact.GotoAsync($"{_server.Url}#/incidents/{id}");
        await Expect(contact.Locator("#missed-form")).ToBeHiddenAsync();
    }
}
