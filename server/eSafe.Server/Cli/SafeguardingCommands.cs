using System.CommandLine;
using System.Globalization;
using eSafe.Contracts.Http;
using eSafe.Server.Admin;
using eSafe.Server.Analysts;
using eSafe.Server.Escalation;
using eSafe.Server.Web;

namespace eSafe.Server.Cli;

/// <summary>
/// <c>esafe-server contact add|list|remove</c>, <c>protocol show|set</c> and <c>school report-password</c>: a school's
/// safeguarding set-up from the command line, through the same service (validation, audit as "cli") as the console.
/// </summary>
internal static class SafeguardingCommands
{
    public static Command Contact(Option<string> data)
    {
        var school = SchoolOption();
        var id = new Option<string>("--id") { Description = "The contact's ID within the school, e.g. dsl-1.", Required = true };
        var name = new Option<string>("--name") { Description = "The contact's name.", Required = true };
        var role = new Option<string>("--role") { Description = $"One of {string.Join(", ", ContactRoles.All)}.", Required = true };
        var phone = new Option<string?>("--phone") { Description = "Phone in international form, e.g. +447700900123." };
        var email = new Option<string?>("--email") { Description = "Email address for reports." };
        var order = new Option<int>("--order") { Description = "Order within the role (1 is called first).", DefaultValueFactory = _ => 1 };
        var add = new Command("add", "Add a nominated contact, or change the one with this ID.") { school, id, name, role, phone, email, order };
        add.SetAction((parse, cancellationToken) => ServerCommands.WithServicesAsync(parse, data, async (services, output) =>
        {
            var view = Checked(await services.GetRequiredService<Safeguarding>().SaveContactAsync(CommandLineUser.Instance, parse.GetValue(school)!,
                parse.GetValue(id)!, new ContactRequest(parse.GetValue(name)!, parse.GetValue(role)!, parse.GetValue(phone), parse.GetValue(email),
                    parse.GetValue(order)), null, cancellationToken));
            await WriteContactsAsync(output, view);
        }));

        var listSchool = SchoolOption();
        var list = new Command("list", "List a school's contacts.") { listSchool };
        list.SetAction((parse, cancellationToken) => ServerCommands.WithServicesAsync(parse, data, async (services, output) =>
            await WriteContactsAsync(output, Checked(await services.GetRequiredService<Safeguarding>().GetAsync(CommandLineUser.Instance,
                parse.GetValue(listSchool)!, null, cancellationToken)))));

        var removeSchool = SchoolOption();
        var removeId = new Option<string>("--id") { Description = "The contact's ID.", Required = true };
        var remove = new Command("remove", "Remove a contact.") { removeSchool, removeId };
        remove.SetAction((parse, cancellationToken) => ServerCommands.WithServicesAsync(parse, data, async (services, output) =>
            await WriteContactsAsync(output, Checked(await services.GetRequiredService<Safeguarding>().RemoveContactAsync(CommandLineUser.Instance,
                parse.GetValue(removeSchool)!, parse.GetValue(removeId)!, null, cancellationToken)))));

        return new Command("contact", "Manage a school's nominated safeguarding contacts.") { add, list, remove };
    }

    public static Command Protocol(Option<string> data)
    {
        var showSchool = SchoolOption();
        var show = new Command("show", "Show a school's escalation protocol.") { showSchool };
        show.SetAction((parse, cancellationToken) => ServerCommands.WithServicesAsync(parse, data, async (services, output) =>
            await WriteProtocolAsync(output, Checked(await services.GetRequiredService<Safeguarding>().GetAsync(CommandLineUser.Instance,
                parse.GetValue(showSchool)!, null, cancellationToken)))));

        var school = SchoolOption();
        var severity = new Option<int>("--severity") { Description = "The severity (1–5) whose rule to set.", Required = true };
        var roles = new Option<string>("--roles") { Description = "Roles told, in order, separated by commas: e.g. dsl,deputy-dsl,head.", Required = true };
        var phone = new Option<bool>("--phone") { Description = "Ring them in order until one acknowledges." };
        var email = new Option<bool>("--email") { Description = "Email them the encrypted report." };
        var weekly = new Option<bool>("--weekly") { Description = "Gather it into the weekly summary instead." };
        var within = new Option<int>("--within") { Description = "Minutes within which they must be told.", Required = true };
        var callNext = new Option<int?>("--call-next-after") { Description = "Minutes a call waits for acknowledgement before the next contact." };
        var set = new Command("set", "Set the rule for one severity.") { school, severity, roles, phone, email, weekly, within, callNext };
        set.SetAction((parse, cancellationToken) => ServerCommands.WithServicesAsync(parse, data, async (services, output) =>
        {
            var safeguarding = services.GetRequiredService<Safeguarding>();
            var schoolId = parse.GetValue(school)!;
            var current = Checked(await safeguarding.GetAsync(CommandLineUser.Instance, schoolId, null, cancellationToken)).Protocol;
            var rule = new ProtocolRule(parse.GetValue(severity), [.. parse.GetValue(roles)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)],
                parse.GetValue(phone), parse.GetValue(email), parse.GetValue(weekly), parse.GetValue(within));
            var protocol = new Contracts.Http.Protocol([.. current.Rules.Where(r => r.Severity != rule.Severity), rule],
                parse.GetValue(callNext) ?? current.CallNextAfterMinutes);
            await WriteProtocolAsync(output, Checked(await safeguarding.SaveProtocolAsync(CommandLineUser.Instance, schoolId, protocol, null, cancellationToken)));
        }));

        return new Command("protocol", "Show or set a school's escalation protocol.") { show, set };
    }

    public static Command ReportPassword(Option<string> data)
    {
        var school = SchoolOption();
        var command = new Command("report-password", "Make a new password for the school's encrypted reports and print it once.") { school };
        command.SetAction((parse, cancellationToken) => ServerCommands.WithServicesAsync(parse, data, async (services, output) =>
        {
            var issued = Checked(await services.GetRequiredService<Safeguarding>().IssueReportPasswordAsync(CommandLineUser.Instance,
                parse.GetValue(school)!, null, cancellationToken));
            await output.WriteLineAsync($"Report password: {issued.Password}");
            await output.WriteLineAsync("Give it to the school's DSL by another channel (a call, in person); it is shown only now.");
        }));
        return command;
    }

    private static Option<string> SchoolOption() => new("--school") { Description = "The school's ID.", Required = true };

    private static T Checked<T>(Outcome<T> outcome) => outcome.Status == StatusCodes.Status200OK
        ? outcome.Value!
        : throw new ProvisioningException(string.Join(" ", new[] { outcome.Message! }.Concat(
            outcome.Errors?.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}") ?? [])));

    private static async Task WriteContactsAsync(TextWriter output, SafeguardingView view)
    {
        if (view.Contacts.Count == 0)
        {
            await output.WriteLineAsync("No contacts yet: nobody at this school can be told of an incident.");
        }

        foreach (var c in view.Contacts)
        {
            await output.WriteLineAsync($"{c.Id}\t{c.Role}\t{c.Order}\t{c.Name}\t{c.Phone ?? "-"}\t{c.Email ?? "-"}");
        }
    }

    private static async Task WriteProtocolAsync(TextWriter output, SafeguardingView view)
    {
        foreach (var r in view.Protocol.Rules)
        {
            var how = string.Join('+', new[] { r.Phone ? "phone" : null, r.Email ? "email" : null, r.Weekly ? "weekly" : null }.OfType<string>());
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"severity {r.Severity}: {string.Join(", ", r.Roles)} by {how} within {r.WithinMinutes} minutes"));
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"calls move to the next contact after {view.Protocol.CallNextAfterMinutes} minutes"));
    }
}
