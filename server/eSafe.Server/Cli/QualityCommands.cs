using System.CommandLine;
using System.Text;
using eSafe.Server.Admin;
using eSafe.Server.Analysts;
using eSafe.Server.Security;
using eSafe.Server.Workflow;

namespace eSafe.Server.Cli;

/// <summary>
/// <c>esafe-server quality export --out FILE --data DIR</c>: the analysts' false positives and missed sentences as labelled
/// sentences (label TAB text) for the quality set; run as the command-line senior analyst, audited. The file is the
/// user's only, as it quotes pupils.
/// </summary>
public static class QualityCommands
{
    public static Command Create(Option<string> data)
    {
        var output = new Option<string>("--out") { Description = "The TSV file to write (replaced if it exists).", Required = true };
        var export = new Command("export",
            "Write every incident decided 'false positive' (label benign, the text around the hit) and every missed sentence analysts filed (its category) as label TAB text.")
        {
            output,
        };
        export.SetAction((parse, cancellationToken) => ServerCommands.WithServicesAsync(parse, data, async (services, console) =>
        {
            var path = Path.GetFullPath(parse.GetValue(output)!);
            if (!Directory.Exists(Path.GetDirectoryName(path)))
            {
                throw new ProvisioningException($"the folder of {path} does not exist");
            }

            var result = await services.GetRequiredService<QualityExport>().ExportAsync(CommandLineUser.Instance, cancellationToken)
                ?? throw new ProvisioningException("only a senior analyst may export");
            var content = Encoding.UTF8.GetBytes(string.Concat(result.Lines.Select(l => l + "\n")));
            SecureFiles.Write(path, content, overwrite: true);
            await console.WriteLineAsync($"Wrote {result.Lines.Count} sentences to {path}: {result.Counts.FalsePositives} false positives (benign), {result.Counts.Missed} missed.");
        }));
        return new Command("quality", "The analysts' signals for the detection quality set.") { export };
    }
}
