using eSafe.Detection;
using eSafe.Server;
using eSafe.Server.Seeding;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace eSafe.Host.Tests.Support;

/// <summary>The real eSafe server on Kestrel at 127.0.0.1 (a free port), with a demo school, in a folder of its own.</summary>
internal sealed class InProcessServer : IAsyncDisposable
{
    private readonly TemporaryFolder _folder;
    private readonly WebApplication _app;

    private InProcessServer(TemporaryFolder folder, WebApplication app)
    {
        _folder = folder;
        _app = app;
        Url = new Uri(app.Urls.First());
        Demo = DemoCredentials.Read(Path.Combine(folder.Path, "demo.json"))!;
    }

    public Uri Url { get; }

    public DemoCredentials Demo { get; }

    public static async Task<InProcessServer> StartAsync(CompiledLibrary? globalLibrary = null)
    {
        var folder = new TemporaryFolder();
        var app = ServerApp.Build(new ServerOptions
        {
            DataDirectory = folder.Path,
            Urls = "http://127.0.0.1:0",
            Demo = true,
            Output = TextWriter.Null,
            MinimumLogLevel = LogLevel.Error,
            GlobalLibrary = globalLibrary,
        });
        await app.StartAsync();
        return new InProcessServer(folder, app);
    }

    public T Service<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _folder.Dispose();
    }
}
