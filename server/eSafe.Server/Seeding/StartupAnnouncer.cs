using eSafe.Server.Web;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace eSafe.Server.Seeding;

/// <summary>
/// Once the server listens: with --demo, makes sure the demo data exists and demo.json holds the real URL;
/// then prints where the server listens (and the demo credentials) on standard output.
/// </summary>
public sealed class StartupAnnouncer(IServer server, IServiceProvider services, ServerOptions options) : IHostedLifecycleService
{
    public const string ListeningLine = "eSafe server listening on ";
    public const string CertificateLine = "TLS certificate SHA-256: ";
    public const string ExtensionLine = "Force-install the extension (ExtensionInstallForcelist): ";
    public const string PublicKeyLine = "TLS public key (SubjectPublicKeyInfo) SHA-256, base64: ";

    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        var url = (server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? options.Urls.Split(';')[0]).TrimEnd('/');
        DemoCredentials? demo = null;
        if (options.Demo)
        {
            demo = await services.GetRequiredService<DemoSeeder>().EnsureAsync(url, cancellationToken);
            if (services.GetRequiredService<IConfiguration>().GetValue(DemoIncidents.Setting, true))
            {
                await services.GetRequiredService<DemoIncidents>().EnsureAsync(demo, cancellationToken);
            }
        }

        var output = options.Output;
        await output.WriteLineAsync(ListeningLine + url);
        if (services.GetService<Security.ServerCertificate>() is { } certificate)
        {
            await output.WriteLineAsync($"TLS certificate{(certificate.SelfSigned ? " (self-signed)" : "")}: {certificate.Source}");
            await output.WriteLineAsync(CertificateLine + certificate.CertificateSha256);
            await output.WriteLineAsync(PublicKeyLine + certificate.PublicKeySha256);
        }
        if (!ClientAddress.IsLoopback(url) && url.StartsWith("http:", StringComparison.OrdinalIgnoreCase))
        {
            await output.WriteLineAsync("Warning: this is plain HTTP on a network address; serve it behind TLS.");
        }

        await AnnounceExtensionAsync(output, url);
        if (demo is null && (await services.GetRequiredService<Storage.ISchoolStore>().ListAsync(cancellationToken)).Count == 0)
        {
            // A first start without --demo: nothing can sign in or enrol yet, and the admin commands need the data folder free.
            await output.WriteLineAsync("No school yet. Stop the server (Ctrl+C), then with the same --data:");
            await output.WriteLineAsync("  esafe-server --data DATA school add --name \"Your School\"      (prints the school's ID and enrolment code)");
            await output.WriteLineAsync("  esafe-server --data DATA analyst add --username NAME --role senior-analyst   (the first console account)");
            await output.WriteLineAsync("and start it again. docs/DEPLOYMENT.md walks through the rest.");
        }

        if (demo is not null)
        {
            await output.WriteLineAsync($"Analyst console: {url}/  username: {demo.AnalystUsername}  password: {demo.AnalystPassword}");
            await output.WriteLineAsync($"School's view (the demo DSL): username: {demo.ContactUsername}  password: {demo.ContactPassword}");
            await output.WriteLineAsync($"Demo school's report password (opens its PDF reports): {demo.ReportPassword}");
            await output.WriteLineAsync($"Demo school: {demo.SchoolName} ({demo.SchoolId})  enrolment code: {demo.EnrolmentCode}");
            // The school's user-ID key is the school's alone: made beside the device, never in the server's data folder.
            await output.WriteLineAsync("The school's user-ID key (never given to this server): esafe-host school-key new --output school.key");
            // Chrome and Chromium look for the host in different folders: register with both (and --browser edge/brave as needed).
            await output.WriteLineAsync($"Point a device at it: esafe-host install --browser chrome --browser chromium --server {url} --enrolment-code {demo.EnrolmentCode} --user-id-key-file school.key");
            await output.WriteLineAsync($"(also in {Path.Combine(options.DataDirectory, Storage.DataFolder.DemoFileName)})");
        }

        await output.FlushAsync(cancellationToken);
    }

    // The exact ExtensionInstallForcelist entry for IT staff, when this server offers a packed extension.
    private async Task AnnounceExtensionAsync(TextWriter output, string url)
    {
        var (package, _) = services.GetRequiredService<Extension.HostedExtension>().Current();
        if (package is not null)
        {
            await output.WriteLineAsync($"{ExtensionLine}{package.Id};{url}{Extension.HostedExtension.UpdateManifestPath}  (version {package.Version})");
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
