using System.CommandLine;
using eSafe.Server.Security;
using eSafe.Server.Storage;
using eSafe.Server.Storage.LiteDb;
using eSafe.Server.Storage.Postgres;

namespace eSafe.Server.Cli;

/// <summary><c>esafe-server keys rotate [--which data|sealing]</c> and <c>keys re-encrypt</c>; with the server stopped (the data folder is locked while it runs).</summary>
internal static class KeyCommands
{
    public static Command Create(Option<string> data)
    {
        var which = new Option<string>("--which")
        {
            Description = "Which key: data (encrypts what is stored), sealing (what devices seal incidents to), or both.",
            DefaultValueFactory = _ => "both",
        };
        which.AcceptOnlyFromAmong("data", "sealing", "both");
        var rotate = new Command("rotate",
            "Add a new key: new records use it from the next start, older ones stay readable; devices get the new sealing key at their next enrolment or library check.")
        {
            which,
        };
        rotate.SetAction((parse, cancellationToken) => ServerCommands.WithServicesAsync(parse, data, async (services, output) =>
        {
            var folder = services.GetRequiredService<DataFolder>();
            var what = parse.GetValue(which)!;
            if (what is "data" or "both")
            {
                await output.WriteLineAsync($"New data key: {AtRestCipher.Rotate(folder.KeysDirectory)} (run `esafe-server keys re-encrypt` to move older records to it).");
            }

            if (what is "sealing" or "both")
            {
                await output.WriteLineAsync($"New sealing key: {SealingKeyRing.Rotate(folder.KeysDirectory)} (keep the older ones: devices may still hold incidents sealed to them).");
            }
        }));

        var reEncrypt = new Command("re-encrypt", "Move every record encrypted with an older data key to the current one; then the older key files may be removed.");
        reEncrypt.SetAction((parse, cancellationToken) => ServerCommands.WithServicesAsync(parse, data, async (services, output) =>
        {
            var folder = services.GetRequiredService<DataFolder>();
            var moved = folder.Postgres is { } postgres
                ? await PostgresReEncryption.RunAsync(postgres, folder.Cipher, cancellationToken)
                : ReEncryption.Run(folder);
            foreach (var (where, count) in moved)
            {
                await output.WriteLineAsync($"{where}: {count}");
            }

            await output.WriteLineAsync($"Everything is now encrypted with data key {folder.Cipher.CurrentKey}.");
        }));

        return new Command("keys", "Rotate the server's keys and re-encrypt with the current data key.") { rotate, reEncrypt };
    }
}
