using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using eSafe.Server.Security;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using MimeKit.Utils;

namespace eSafe.Server.Notifications.Email;

/// <summary>
/// Sends through one SMTP server with MailKit: a fresh connection per message, STARTTLS required (never "when
/// available") or implicit TLS, TLS 1.2 or later, a login when configured. Plain text only to a relay on this machine.
/// </summary>
public sealed class SmtpEmailSender : IEmailSender
{
    public const int MaxRecipients = 50;
    public const int MaxTotalAttachmentBytes = 20 * 1024 * 1024;

    private readonly SmtpOptions _options;
    private readonly ILogger<SmtpEmailSender> _logger;
    private readonly byte[]? _pin;
    private readonly string _server;

    /// <exception cref="ServerSetupException">The settings have problems; the message lists them all.</exception>
    public SmtpEmailSender(SmtpOptions options, ILogger<SmtpEmailSender> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ServerSetupException("The SMTP settings cannot be used: " + string.Join(" ", problems));
        }

        _options = options;
        _logger = logger;
        _pin = options.PinnedFingerprint();
        _server = $"{options.Host}:{options.Port}";
    }

    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        var mime = Build(message);
        using var client = new SmtpClient
        {
            Timeout = (int)_options.Timeout.TotalMilliseconds,
            SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        };
        if (_pin is not null)
        {
            client.ServerCertificateValidationCallback = MatchesPin;
        }

        try
        {
            await client.ConnectAsync(_options.Host, _options.Port, SocketOptions(), cancellationToken);
            if (_options.Security != SmtpSecurity.None && !client.IsEncrypted)
            {
                throw new EmailDeliveryException($"The connection to the mail server {_server} is not encrypted.", isPermanent: true);
            }

            if (!string.IsNullOrEmpty(_options.Username))
            {
                await client.AuthenticateAsync(_options.Username, _options.Password ?? "", cancellationToken);
            }

            var reply = await client.SendAsync(mime, cancellationToken);
            if (_logger.IsEnabled(LogLevel.Information))
            {
                _logger.LogInformation("Email {MessageId} accepted by {Server} for {Count} recipient(s): {Reply}", mime.MessageId, _server,
                    message.To.Count, reply);
            }

            await client.DisconnectAsync(quit: true, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && Classify(e) is { } failure)
        {
            if (_logger.IsEnabled(LogLevel.Warning))
            {
                _logger.LogWarning(e, "Email {MessageId} not sent ({Kind}): {Reason}", mime.MessageId,
                    failure.IsPermanent ? "permanent" : "transient", failure.Message);
            }

            throw failure;
        }
    }

    private SecureSocketOptions SocketOptions() => _options.Security switch
    {
        SmtpSecurity.Tls => SecureSocketOptions.SslOnConnect,
        SmtpSecurity.None => SecureSocketOptions.None,
        _ => SecureSocketOptions.StartTls,
    };

    // A pinned self-signed certificate is trusted by its fingerprint alone; anything else fails the handshake.
    private bool MatchesPin(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) =>
        certificate is not null && CryptographicOperations.FixedTimeEquals(SHA256.HashData(certificate.GetRawCertData()), _pin);

    /// <summary>What the analysts are told, and whether trying again can help; null for what is not a delivery failure.</summary>
    private EmailDeliveryException? Classify(Exception e) => e switch
    {
        EmailDeliveryException known => known,
        SmtpCommandException command => Refused(command),
        MailKit.Security.AuthenticationException => new($"The mail server {_server} refused eSafe's login: check Smtp:Username and Smtp:Password.", isPermanent: true, e),
        SslHandshakeException => new($"The TLS handshake with the mail server {_server} failed: its certificate is not trusted or it offers no TLS 1.2+" +
            (_pin is null ? " (a self-signed certificate can be pinned with Smtp:TrustedCertificateSha256)." : " (the certificate does not match Smtp:TrustedCertificateSha256)."),
            isPermanent: true, e),
        NotSupportedException when _options.Security == SmtpSecurity.StartTls =>
            new($"The mail server {_server} does not offer STARTTLS, which eSafe requires: enable it on the server, or use Smtp:Security Tls.", isPermanent: true, e),
        SmtpProtocolException => new($"The mail server {_server} broke off the conversation: {e.Message}", isPermanent: false, e),
        SocketException socket => new($"Cannot reach the mail server {_server}: {socket.SocketErrorCode}.", isPermanent: false, e),
        TimeoutException or OperationCanceledException => new($"The mail server {_server} did not answer within {_options.Timeout.TotalSeconds:0} s.", isPermanent: false, e),
        IOException => new($"The connection to the mail server {_server} failed: {e.Message}", isPermanent: false, e),
        ServiceNotConnectedException or ServiceNotAuthenticatedException => new($"The mail server {_server} closed the connection: {e.Message}", isPermanent: false, e),
        _ => null,
    };

    private EmailDeliveryException Refused(SmtpCommandException e)
    {
        var code = (int)e.StatusCode;
        var permanent = code is >= 500 and < 600;
        var what = e.ErrorCode switch
        {
            SmtpErrorCode.RecipientNotAccepted => $"refused the recipient {e.Mailbox?.Address}",
            SmtpErrorCode.SenderNotAccepted => $"refused the sender {e.Mailbox?.Address} (check Smtp:FromAddress)",
            SmtpErrorCode.MessageNotAccepted => "refused the message",
            _ => "refused a command",
        };
        var answer = $"{code} {e.Message}".Trim();
        return new EmailDeliveryException($"The mail server {_server} {what}: {answer}" + (permanent ? "." : "; eSafe will try again."), permanent, e);
    }

    private MimeMessage Build(EmailMessage message)
    {
        EmailChecks.Check(message);
        var mime = new MimeMessage();
        mime.From.Add(new MailboxAddress(_options.FromName, _options.FromAddress));
        foreach (var recipient in message.To)
        {
            mime.To.Add(new MailboxAddress(recipient.Name, recipient.Address));
        }

        mime.Subject = message.Subject;
        mime.Date = DateTimeOffset.UtcNow;
        mime.MessageId = MimeUtils.GenerateMessageId(_options.FromAddress[(_options.FromAddress.IndexOf('@', StringComparison.Ordinal) + 1)..]);
        var body = new BodyBuilder { TextBody = message.TextBody };
        foreach (var attachment in message.Attachments)
        {
            body.Attachments.Add(attachment.FileName, attachment.Content, ContentType.Parse(attachment.ContentType));
        }

        mime.Body = body.ToMessageBody();
        return mime;
    }
}
