using eSafe.Detection;

namespace eSafe.Server;

/// <summary>How to run the server: <c>esafe-server serve</c>'s options, and what tests set.</summary>
public sealed record ServerOptions
{
    public const string DefaultUrls = "http://127.0.0.1:5080";

    /// <summary>The data folder: database, keys, demo.json. Made (mode 700) when missing.</summary>
    public string DataDirectory { get; init; } = "data";

    /// <summary>The keys folder, when not <c>keys/</c> inside the data folder (<c>--keys</c>, <c>ESAFE_KEYS_DIR</c>).</summary>
    public string? KeysDirectory { get; init; }

    /// <summary>A PostgreSQL connection string (<c>--database</c>, <c>ESAFE_DATABASE</c>): the shared store; null for the LiteDB file in the data folder.</summary>
    public string? Database { get; init; }

    /// <summary>With <see cref="Database"/>: the folder its server processes share for screenshots (<c>--screenshots</c>); null to keep them in the database.</summary>
    public string? ScreenshotsDirectory { get; init; }

    /// <summary>Where to listen; <c>http://127.0.0.1:0</c> picks a free port.</summary>
    public string Urls { get; init; } = DefaultUrls;

    /// <summary>Make (or reuse) a demo school and a demo analyst, and write their credentials to demo.json.</summary>
    public bool Demo { get; init; }

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>The global threat library; null for the one built in (Detection's default library).</summary>
    public CompiledLibrary? GlobalLibrary { get; init; }

    /// <summary>Where the start-up banner goes (standard output; the log goes to standard error).</summary>
    public TextWriter Output { get; init; } = Console.Out;

    public LogLevel MinimumLogLevel { get; init; } = LogLevel.Information;

    /// <summary>Settings laid over the configuration (appsettings.json, environment), e.g. a test's phone provider.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    /// <summary>Run after the server's own service registrations: tests put stand-ins for parts built elsewhere here.</summary>
    public Action<IServiceCollection>? ConfigureServices { get; init; }
    /// <summary>A console session ends after this long without a request (enforced on the server).</summary>
    public TimeSpan SessionIdleTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>A console session ends this long after sign-in, however busy (enforced on the server).</summary>
    public TimeSpan SessionLifetime { get; init; } = TimeSpan.FromHours(12);

    /// <summary>The TLS certificate for https URLs: a PEM file (with <see cref="CertificateKeyFile"/>) or a PFX file.</summary>
    public string? CertificateFile { get; init; }

    /// <summary>The PEM private key of <see cref="CertificateFile"/>; null when the certificate is a PFX.</summary>
    public string? CertificateKeyFile { get; init; }

    public string? CertificatePassword { get; init; }

    /// <summary>Reverse proxies (addresses or CIDR networks) whose X-Forwarded-For/Proto/Host headers are believed.</summary>
    public IReadOnlyList<string> TrustedProxies { get; init; } = [];

    /// <summary>The audit log's head is written to audit-anchors.log every this many entries (and at shutdown).</summary>
    public int AuditAnchorInterval { get; init; } = 100;
}
