using System.Text.Json.Serialization;
using eSafe.Contracts;
using eSafe.Detection;
using eSafe.Server.Admin;
using eSafe.Server.Analysts;
using eSafe.Server.Devices;
using eSafe.Server.Direct;
using eSafe.Server.Escalation;
using eSafe.Server.Fleet;
using eSafe.Server.Ingest;
using eSafe.Server.Extension;
using eSafe.Server.Libraries;
using eSafe.Server.Live;
using eSafe.Server.Notifications.Phone;
using eSafe.Server.Retention;
using eSafe.Server.Security;
using eSafe.Server.Seeding;
using eSafe.Server.Storage;
using eSafe.Server.Web;
using eSafe.Server.Workflow;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging.Console;

namespace eSafe.Server;

/// <summary>Builds the server: the one place where its parts are put together.</summary>
public static class ServerApp
{
    /// <summary>
    /// Opens (or makes) the data folder and builds the web app; start it with <c>StartAsync</c> or <c>RunAsync</c>.
    /// Throws <see cref="ServerSetupException"/> when the data folder cannot be used.
    /// </summary>
    public static WebApplication Build(ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var data = DataFolder.Open(options.DataDirectory, options.KeysDirectory, options.Database, options.ScreenshotsDirectory);
        try
        {
            return Build(options, data);
        }
        catch
        {
            data.Dispose();
            throw;
        }
    }

    /// <summary>The services that the web app and the admin commands share.</summary>
    public static IServiceCollection AddServerCore(this IServiceCollection services, DataFolder data, TimeProvider clock)
    {
        services.AddSingleton(clock);
        services.AddStorage(data);
        services.AddSingleton<PasswordHashing>();
        services.AddSingleton<Provisioning>();
        services.AddSingleton<DeviceManagement>();
        services.AddSingleton<DemoSeeder>();
        services.AddSingleton<Safeguarding>();
        services.AddSingleton<QualityExport>();
        return services;
    }

    private static WebApplication Build(ServerOptions options, DataFolder data)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [],
            ApplicationName = typeof(ServerApp).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseUrls(options.Urls);
        builder.Configuration.AddInMemoryCollection(options.Settings);
        options = options with { Clock = OffsetClock.Apply(options.Clock, builder.Configuration) };
        builder.AddTransportSecurity(options, data.KeysDirectory);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // A default only: each endpoint that takes a body sets its own limit (see RequestBody).
            kestrel.Limits.MaxRequestBodySize = DeviceLimits.MaxIncidentBytes;
        });

        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "yyyy-MM-dd HH:mm:ss ";
        });
        builder.Services.Configure<ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(options.MinimumLogLevel);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);

        var services = builder.Services;
        services.AddSingleton(options);
        services.AddServerCore(data, options.Clock);
        services.AddSingleton<LoginThrottle>();
        services.AddSingleton<ServerSessions>();
        services.AddHostedService<ExpirySweeper>();
        services.AddSingleton<DeviceAuthenticator>();
        services.AddSingleton<IncidentRules>();
        services.AddIngest();
        services.AddLiveListener(data);
        services.AddSingleton<EnrolmentCodeCheck>();
        services.AddSingleton<IncidentAccess>();
        services.AddSingleton<MissedSentences>();
        services.AddEmail(builder.Configuration);
        services.AddEscalation(builder.Configuration.GetSection(EscalationOptions.SectionName).Get<EscalationOptions>() ?? new EscalationOptions());
        services.AddFleet(builder.Configuration);
        services.AddRetention(builder.Configuration);
        // The global threat library: what analysts see the server working with (and, in Chromebook mode, what it scans with).
        services.AddSingleton(_ => options.GlobalLibrary ?? DefaultLibrary.Load());
        services.AddSingleton<LibraryPackages>();
        services.AddSingleton<HostedExtension>();
        services.AddSingleton<SchoolLayerChanges>();
        services.AddSingleton<DemoIncidents>();
        services.AddHostedService<StartupAnnouncer>();
        services.AddPhoneNotifications(builder.Configuration);
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.TypeInfoResolverChain.Insert(0, ContractsJson.Default);
            json.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        });

        var dataProtection = services.AddDataProtection().SetApplicationName("esafe-server");
        if (data.Postgres is { } postgres)
        {
            // Shared by every process on the database: a cookie from one is good on the others.
            services.Configure<KeyManagementOptions>(keys => keys.XmlRepository = new Storage.Postgres.PostgresXmlRepository(postgres));
        }
        else
        {
            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(data.DataProtectionDirectory));
        }

        services.Configure<KeyManagementOptions>(keys => keys.XmlEncryptor = new AtRestXmlEncryptor(data.Cipher));

        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(cookie =>
        {
            cookie.Cookie.Name = "esafe_session";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.Cookie.IsEssential = true;
            // The session itself lives on the server (ServerSessions), which enforces the idle and absolute lifetimes.
            cookie.ExpireTimeSpan = options.SessionLifetime;
            cookie.SlidingExpiration = false;
            cookie.TimeProvider = options.Clock;
            cookie.Events.OnRedirectToLogin = context => Status(context, StatusCodes.Status401Unauthorized);
            cookie.Events.OnRedirectToAccessDenied = context => Status(context, StatusCodes.Status403Forbidden);
            cookie.Events.OnValidatePrincipal = ValidateSessionAsync;
        });
        services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<ServerSessions>((cookie, sessions) => cookie.SessionStore = sessions);
        services.AddAuthorizationBuilder().AddPolicy(AnalystEndpoints.ConsolePolicy, policy =>
            policy.RequireAuthenticatedUser().RequireRole([.. Roles.All]));

        options.ConfigureServices?.Invoke(services);
        var app = builder.Build();
        _ = app.Services.GetRequiredService<DataFolder>(); // now owned (and disposed) by the app's container

        app.UseTrustedProxies(options);
        app.UseExceptionHandler();
        app.UseStorageFaults();
        app.UseStatusCodePages();
        app.UseSecurityHeaders();
        app.UseHsts();
        var console = new EmbeddedFileProvider(typeof(ServerApp).Assembly, "eSafe.Server.wwwroot");
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = console });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = console });
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapDeviceApi().MapLibraryDownloads().MapDirectMode().MapFleetDevices();
        app.MapExtensionDownloads();
        app.MapAnalystApi();
        app.MapPhoneWebhooks();
        app.MapFallback("/api/{**path}", () => Web.Problems.NotFound("There is no such API endpoint."));
        return app;
    }

    private static Task Status(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        context.Response.StatusCode = status;
        return Task.CompletedTask;
    }

    // A session ends when its account is removed or its password reset (the security stamp changes).
    private static async Task ValidateSessionAsync(CookieValidatePrincipalContext context)
    {
        var username = context.Principal?.Identity?.Name;
        var stamp = context.Principal?.FindFirst(ConsoleUser.StampClaim)?.Value;
        var accounts = context.HttpContext.RequestServices.GetRequiredService<IAnalystStore>();
        var account = username is null ? null : await accounts.FindAsync(username, context.HttpContext.RequestAborted);
        if (account is null || account.SecurityStamp != stamp)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }
}
