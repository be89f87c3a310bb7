using System.CommandLine;
using eSafe.Server.Admin;
using eSafe.Server.Analysts;
using eSafe.Server.Devices;

namespace eSafe.Server.Cli;

/// <summary><c>esafe-server device list --school ID</c> and <c>device revoke --device ID [--reason TEXT]</c>; audited as "cli".</summary>
internal static class DeviceCommands
{
    private static readonly DeviceManagement.Caller Cli = new("cli", AccessScope.EverySchool, null);

    public static Command Create(Option<string> data)
    {
        var school = new Option<string>("--school") { Description = "The school's ID.", Required = true };
        var list = new Command("list", "List a school's enrolled devices (revoked ones included).") { school };
        list.SetAction((parse, cancellationToken) => ServerCommands.WithServicesAsync(parse, data, async (services, output) =>
        {
            var (outcome, devices) = await services.GetRequiredService<DeviceManagement>().ListAsync(Cli, parse.GetValue(school)!, cancellationToken);
            if (outcome != DeviceManagement.Outcome.Done)
            {
                throw new ProvisioningException($"There is no school {parse.GetValue(school)}.");
            }

            foreach (var d in devices)
            {
                var state = d.RevokedAt is { } at ? $"revoked {at.UtcDateTime:yyyy-MM-dd HH:mm} UTC by {d.RevokedBy}{(d.RevokedReason is null ? "" : ": " + d.RevokedReason)}" : "active";
                await output.WriteLineAsync($"{d.Id}  {d.MachineName}  host {d.HostVersion}  enrolled {d.EnrolledAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC  {state}");
            }

            await output.WriteLineAsync($"{devices.Count} device{(devices.Count == 1 ? "" : "s")}.");
        }));

        var device = new Option<string>("--device") { Description = "The device's ID (dev-…).", Required = true };
        var reason = new Option<string?>("--reason") { Description = $"Why (kept in the device's record and the audit log; at most {DeviceManagement.MaxReasonLength} characters)." };
        var revoke = new Command("revoke", "Revoke a device: its uploads and library downloads get 401 from now on.") { device, reason };
        revoke.SetAction((parse, cancellationToken) => ServerCommands.WithServicesAsync(parse, data, async (services, output) =>
        {
            var (outcome, revoked, problem) = await services.GetRequiredService<DeviceManagement>()
                .RevokeAsync(Cli, parse.GetValue(device)!, parse.GetValue(reason), cancellationToken);
            if (outcome != DeviceManagement.Outcome.Done)
            {
                throw new ProvisioningException(problem ?? $"There is no device {parse.GetValue(device)}.");
            }

            await output.WriteLineAsync($"Revoked: {revoked!.Id} ({revoked.MachineName}) at {revoked.RevokedAt!.Value.UtcDateTime:yyyy-MM-dd HH:mm} UTC");
        }));

        return new Command("device", "List and revoke enrolled devices.") { list, revoke };
    }
}
