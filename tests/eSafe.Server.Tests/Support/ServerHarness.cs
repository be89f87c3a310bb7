using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using eSafe.Contracts;
using eSafe.Contracts.Http;
using eSafe.Incidents;
using eSafe.Server.Seeding;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Refit;

namespace eSafe.Server.Tests.Support;

/// <summary>A real server on Kestrel at 127.0.0.1 on a free port, with its own temporary data folder.</summary>
public sealed class ServerHarness : IAsyncDisposable
{
    private readonly StringWriter _output;
    private readonly bool _ownsFolder;
    private bool _stopped;

    private ServerHarness(string dataDirectory, bool ownsFolder, WebApplication app, StringWriter output)
    {
        DataDirectory = dataDirectory;
        _ownsFolder = ownsFolder;
        App = app;
        _output = output;
        BaseAddress = new Uri(app.Urls.First());
        Demo = DemoCredentials.Read(Path.Combine(dataDirectory, "demo.json"));
    }

    public string DataDirectory { get; }
    public WebApplication App { get; }
    public Uri BaseAddress { get; }
    public DemoCredentials? Demo { get; }

    /// <summary>What the server printed on standard output.</summary>
    public string Output => _output.ToString();

    public static string NewDataDirectory() => Directory.CreateTempSubdirectory("esafe-server-tests-").FullName;

    /// <summary>
    /// Starts a server; with no folder given it makes one and deletes it on dispose. <paramref name="settings"/> are laid
    /// over its configuration; <paramref name="services"/> runs after its own registrations (stand-ins go there).
    /// </summary>
    /// <param name="configure">Changes to the options the harness would use (URLs, certificate, proxies, lifetimes).</param>
    public static async Task<ServerHarness> StartAsync(string? dataDirectory = null, bool demo = true, TimeProvider? clock = null,
        IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null,
        Func<ServerOptions, ServerOptions>? configure = null, string? keysDirectory = null)
    {
        var owns = dataDirectory is null;
        dataDirectory ??= NewDataDirectory();
        var output = new StringWriter();
        var options = new ServerOptions
        {
            DataDirectory = dataDirectory,
            KeysDirectory = keysDirectory,
            Urls = "http://127.0.0.1:0",
            Demo = demo,
            Output = TextWriter.Synchronized(output),
            MinimumLogLevel = LogLevel.Error,
            Clock = clock ?? TimeProvider.System,
            // The demo school without its made-up incidents unless a test asks for them: tests count their own.
            Settings = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>()) { [Seeding.DemoIncidents.Setting] = settings?.GetValueOrDefault(Seeding.DemoIncidents.Setting) ?? "false" },
            ConfigureServices = services,
        };
        var app = ServerApp.Build(configure is null ? options : configure(options));
        await app.StartAsync();
        return new ServerHarness(dataDirectory, owns, app, output);
    }

    public T Service<T>() where T : notnull => App.Services.GetRequiredService<T>();

    public HttpClient HttpClient(CookieContainer? cookies = null) =>
        new(new HttpClientHandler { CookieContainer = cookies ?? new CookieContainer(), UseCookies = true, AllowAutoRedirect = false })
        {
            BaseAddress = BaseAddress,
        };

    public IDeviceApi DeviceApi() => RestService.For<IDeviceApi>(HttpClient(), ContractsJson.RefitSettings());

    /// <summary>An analyst client with its own cookie jar (not yet signed in).</summary>
    public IAnalystApi AnalystApi(CookieContainer? cookies = null) => RestService.For<IAnalystApi>(HttpClient(cookies), ContractsJson.RefitSettings());

    public async Task<IAnalystApi> SignedInAsync(string? username = null, string? password = null)
    {
        var api = AnalystApi();
        await api.LoginAsync(new LoginRequest(username ?? Demo!.AnalystUsername, password ?? Demo!.AnalystPassword), CancellationToken.None);
        return api;
    }

    public Task<EnrolmentResponse> EnrolAsync(string? code = null, string machineName = "LAB-PC-07") =>
        DeviceApi().EnrolAsync(new EnrolmentRequest(code ?? Demo!.EnrolmentCode, machineName, "0.1.0"), CancellationToken.None);

    /// <summary>Posts <paramref name="incident"/> sealed to the device's server key, as the host does, and hands back the raw answer.</summary>
    public async Task<HttpResponseMessage> UploadAsync(EnrolmentResponse device, Incident incident)
    {
        using var http = HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", device.DeviceToken);
        return await http.PostAsync("/api/v1/incidents",
            JsonContent.Create(TestIncidents.Seal(incident, device.ServerKey), ContractsJson.Default.SealedIncident));
    }

    /// <summary>Stops the server and closes its data folder; the folder is kept (for a restart or a look at the files).</summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        await App.StopAsync();
        await App.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (_ownsFolder)
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }
}
