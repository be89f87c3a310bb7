using System.Net;
using MimeKit;

namespace eSafe.Server.Notifications.Email;

/// <summary>
/// The mail server eSafe sends through, bound from configuration section <c>Smtp</c> (<c>Smtp:Host</c>,
/// <c>Smtp:Port</c>, …). <see cref="Validate"/> lists every problem; the sender refuses settings with any.
/// </summary>
public sealed class SmtpOptions
{
    public const string Section = "Smtp";

    public string Host { get; set; } = "";

    public int Port { get; set; } = 587;

    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>The sender's address, e.g. reports@esafe.example.org.</summary>
    public string FromAddress { get; set; } = "";

    public string FromName { get; set; } = "eSafe";

    /// <summary>For connecting and for each exchange with the server.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The SHA-256 fingerprint (hex, colons allowed) of a self-signed server certificate to trust; when set, only a
    /// certificate with exactly this fingerprint is accepted. Otherwise the certificate is validated as usual.
    /// </summary>
    public string? TrustedCertificateSha256 { get; set; }

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Host))
        {
            problems.Add("Smtp:Host is required: the mail server's name or IP address.");
        }
        else if (Uri.CheckHostName(Host.Trim('[', ']')) == UriHostNameType.Unknown)
        {
            problems.Add($"Smtp:Host '{Host}' is not a host name or IP address.");
        }
        else if (Security == SmtpSecurity.None && !IsLoopback(Host))
        {
            problems.Add($"Smtp:Security None (no encryption) is allowed only for a mail relay on this machine (localhost, 127.0.0.1 or ::1), not {Host}: use StartTls or Tls.");
        }

        if (Port is < 1 or > 65535)
        {
            problems.Add($"Smtp:Port {Port} is not a port number (1–65535); 587 is usual for StartTls, 465 for Tls.");
        }

        if (!Enum.IsDefined(Security))
        {
            problems.Add("Smtp:Security must be StartTls, Tls or None.");
        }

        if (string.IsNullOrWhiteSpace(FromAddress) || !IsPlainAddress(FromAddress))
        {
            problems.Add("Smtp:FromAddress must be the sender's email address, e.g. reports@esafe.example.org.");
        }

        if (string.IsNullOrWhiteSpace(FromName) || FromName.Length > 100 || FromName.Any(char.IsControl))
        {
            problems.Add("Smtp:FromName must be a short name on one line.");
        }

        if (string.IsNullOrEmpty(Username) != string.IsNullOrEmpty(Password))
        {
            problems.Add("Smtp:Username and Smtp:Password go together: set both, or neither for a server that needs no login.");
        }

        if (Timeout < TimeSpan.FromSeconds(1) || Timeout > TimeSpan.FromMinutes(10))
        {
            problems.Add("Smtp:Timeout must be between 1 second and 10 minutes (e.g. 00:00:30).");
        }

        if (TrustedCertificateSha256 is not null)
        {
            if (PinnedFingerprint() is null)
            {
                problems.Add("Smtp:TrustedCertificateSha256 must be a SHA-256 fingerprint: 64 hexadecimal digits (colons allowed).");
            }
            else if (Security == SmtpSecurity.None)
            {
                problems.Add("Smtp:TrustedCertificateSha256 needs Smtp:Security StartTls or Tls: there is no certificate without TLS.");
            }
        }

        return problems;
    }

    /// <summary>The pinned fingerprint as bytes; null when none or malformed.</summary>
    internal byte[]? PinnedFingerprint()
    {
        if (string.IsNullOrWhiteSpace(TrustedCertificateSha256))
        {
            return null;
        }

        var hex = TrustedCertificateSha256.Replace(":", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
        return hex.Length == 64 && hex.All(char.IsAsciiHexDigit) ? Convert.FromHexString(hex) : null;
    }

    internal static bool IsLoopback(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    /// <summary>One bare address (no display name, no list), as a recipient or sender must be.</summary>
    internal static bool IsPlainAddress(string address) =>
        address.Length <= 254 && !address.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c is '<' or '>' or ',' or ';' or '"')
        && MailboxAddress.TryParse(address, out var parsed) && parsed.Address == address
        && address.IndexOf('@', StringComparison.Ordinal) is > 0 and var at && at < address.Length - 1;
}
