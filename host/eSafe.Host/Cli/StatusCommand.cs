using System.CommandLine;
using eSafe.Host.Configuration;
using eSafe.Host.Delivery;
using eSafe.Host.Libraries;

namespace eSafe.Host.Cli;

/// <summary><c>status</c>: what an IT admin checks first.</summary>
public static class StatusCommand
{
    public static Command Create()
    {
        var command = new Command("status", "Show the host's configuration, enrolment, libraries and outbox");
        command.SetAction(_ =>
        {
            var paths = HostPaths.ForCurrentUser();
            Console.WriteLine($"esafe-host {HostInfo.Version}");
            Console.WriteLine($"state folder: {paths.StateDirectory}");
            var config = DeviceEnrolment.ReadConfig(paths);
            Console.WriteLine(config is null ? "server: not configured" : $"server: {config.ServerUrl}");
            if (config is not null)
            {
                Console.WriteLine(ServerTransport.Problem(config.ServerUrl) is { } refused
                    ? $"transport: REFUSED, nothing is sent: {refused}"
                    : $"transport: {config.ServerUrl.Scheme}, {(config.Pins() is { Count: > 0 } p ? $"{p.Count} pinned key(s)" : "certificate checked by its chain")}");
            }

            Console.WriteLine(config?.UserIdKey is { } k && SchoolKeyFile.Parse(k) is not null
                ? "school user-ID key: installed"
                : "school user-ID key: MISSING from the install (Chrome policy userIdKey may still give it; otherwise incidents carry user ID 000…0)");
            var own = StateFiles.Read(paths.EnrolmentFile, HostJson.Default.EnrolmentState);
            // install --system enrolled the machine: a user without an enrolment of their own reports as it.
            var machine = own is null ? DeviceEnrolment.ReadMachineEnrolment(paths) : null;
            var enrolment = own ?? machine;
            Console.WriteLine(enrolment is null ? "enrolled: no"
                : $"enrolled: device {enrolment.DeviceId} of school {enrolment.SchoolId}{(machine is null ? "" : " (the machine's, from install --system)")}");
            var libraries = new LibraryCache(paths.LibraryDirectory, new HostLog(null)).Load(enrolment?.SchoolId);
            Console.WriteLine($"libraries: {libraries.Describe()}");
            using var outbox = new FileOutbox(paths.OutboxDirectory);
            Console.WriteLine($"outbox: {outbox.Pending().Count} waiting");
            Report("rejected by the server", FileOutbox.SetAside(outbox.RejectedDirectory));
            Report("damaged files set aside", FileOutbox.SetAside(outbox.DamagedDirectory));
            return 0;
        });
        return command;
    }

    private static void Report(string what, IReadOnlyList<(string Id, string Reason)> items)
    {
        Console.WriteLine($"{what}: {items.Count}");
        foreach (var (id, reason) in items)
        {
            Console.WriteLine($"  {id}: {(reason.Length > 300 ? reason[..300] + "…" : reason)}");
        }
    }
}
