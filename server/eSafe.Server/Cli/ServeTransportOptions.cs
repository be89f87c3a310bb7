using System.CommandLine;

namespace eSafe.Server.Cli;

/// <summary><c>serve</c>'s options for TLS, reverse proxies and session lifetimes.</summary>
public sealed class ServeTransportOptions
{
    public const string CertificatePasswordVariable = "ESAFE_CERT_PASSWORD";

    private readonly Option<string?> _certificate = new("--cert")
    {
        Description = "The TLS certificate for https URLs: a PEM file (with --cert-key) or a PFX file.",
    };

    private readonly Option<string?> _key = new("--cert-key") { Description = "The PEM private key of --cert." };

    private readonly Option<string?> _password = new("--cert-password")
    {
        Description = $"The password of a PFX or an encrypted PEM key (or set {CertificatePasswordVariable}, which other users cannot see in the process list).",
    };

    private readonly Option<string[]> _trustedProxies = new("--trusted-proxy")
    {
        Description = "A reverse proxy (address or CIDR network) whose X-Forwarded-For/Proto/Host headers are believed; repeat for more.",
        DefaultValueFactory = _ => [],
    };

    private readonly Option<int> _idleMinutes = new("--session-idle-minutes")
    {
        Description = "A console session ends after this many minutes without a request.",
        DefaultValueFactory = _ => 30,
    };

    private readonly Option<int> _lifetimeHours = new("--session-lifetime-hours")
    {
        Description = "A console session ends this many hours after sign-in.",
        DefaultValueFactory = _ => 12,
    };

    public void AddTo(Command serve)
    {
        ArgumentNullException.ThrowIfNull(serve);
        _idleMinutes.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 1440)
            {
                result.AddError("--session-idle-minutes must be from 1 to 1440.");
            }
        });
        _lifetimeHours.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 168)
            {
                result.AddError("--session-lifetime-hours must be from 1 to 168.");
            }
        });
        foreach (var option in new Option[] { _certificate, _key, _password, _trustedProxies, _idleMinutes, _lifetimeHours })
        {
            serve.Options.Add(option);
        }
    }

    public ServerOptions Apply(ParseResult parse, ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(options);
        return options with
        {
            CertificateFile = parse.GetValue(_certificate),
            CertificateKeyFile = parse.GetValue(_key),
            CertificatePassword = parse.GetValue(_password) ?? NonEmpty(Environment.GetEnvironmentVariable(CertificatePasswordVariable)),
            TrustedProxies = parse.GetValue(_trustedProxies) ?? [],
            SessionIdleTimeout = TimeSpan.FromMinutes(parse.GetValue(_idleMinutes)),
            SessionLifetime = TimeSpan.FromHours(parse.GetValue(_lifetimeHours)),
        };
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
