using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using eSafe.Server.Notifications.Email;
using MimeKit;
using SmtpServer;
using SmtpServer.Authentication;
using SmtpServer.Mail;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace eSafe.Server.Tests.Support;

/// <summary>What the local server received: the raw MIME, parsed, and how the session that carried it was set up.</summary>
public sealed record ReceivedEmail(
    MimeMessage Message,
    IReadOnlyList<string> EnvelopeRecipients,
    string EnvelopeSender,
    bool Secure,
    SslProtocols SslProtocol,
    string? AuthenticatedUser,
    byte[] Raw);

/// <summary>
/// A real SMTP server (the SmtpServer package) on 127.0.0.1 and a free port, for tests of the email path:
/// STARTTLS with a self-signed certificate made here (pin it with <see cref="CertificateSha256"/>), an optional
/// login, and failures on demand (<see cref="FailNext"/>: 451; <see cref="RefuseRecipient"/>: 550).
/// </summary>
public sealed class LocalSmtpServer : IAsyncDisposable
{
    public const string Host = "127.0.0.1";

    private readonly ConcurrentQueue<ReceivedEmail> _messages = new();
    private readonly ConcurrentDictionary<string, bool> _refused = new(StringComparer.OrdinalIgnoreCase);
    private readonly CancellationTokenSource _stop = new();
    private readonly X509Certificate2? _certificate;
    private SmtpServer.SmtpServer _server = null!;
    private Task _running = Task.CompletedTask;
    private int _failNext;

    private LocalSmtpServer(int port, X509Certificate2? certificate)
    {
        Port = port;
        _certificate = certificate;
        CertificateSha256 = certificate is null ? "" : Convert.ToHexStringLower(SHA256.HashData(certificate.RawData));
    }

    public int Port { get; }

    /// <summary>The server certificate's SHA-256 fingerprint (hex); empty for a server without STARTTLS.</summary>
    public string CertificateSha256 { get; }

    public IReadOnlyList<ReceivedEmail> Messages => [.. _messages];

    /// <param name="startTls">Offer STARTTLS (with a fresh self-signed certificate); false makes a plain-text-only server.</param>
    /// <param name="implicitTls">TLS from the first byte (as on port 465) instead of STARTTLS.</param>
    /// <param name="username">With <paramref name="password"/>: a login is required, and only after TLS.</param>
    public static async Task<LocalSmtpServer> StartAsync(bool startTls = true, bool implicitTls = false, string? username = null, string? password = null)
    {
        var certificate = startTls || implicitTls ? MakeCertificate() : null;
        var server = new LocalSmtpServer(FreePort(), certificate);
        server.Start(implicitTls, username, password);
        await server.WaitUntilListeningAsync();
        return server;
    }

    /// <summary>Options for <see cref="SmtpEmailSender"/> that reach this server and trust its certificate.</summary>
    public SmtpOptions SenderOptions(SmtpSecurity security = SmtpSecurity.StartTls) => new()
    {
        Host = Host,
        Port = Port,
        Security = security,
        FromAddress = "reports@esafe.example.org",
        TrustedCertificateSha256 = security == SmtpSecurity.None ? null : CertificateSha256,
        Timeout = TimeSpan.FromSeconds(10),
    };

    /// <summary>A server's settings that make it send its email here (STARTTLS, trusting this server's certificate).</summary>
    public Dictionary<string, string?> ServerSettings()
    {
        var sender = SenderOptions();
        return new Dictionary<string, string?>
        {
            ["Smtp:Host"] = sender.Host,
            ["Smtp:Port"] = sender.Port.ToString(CultureInfo.InvariantCulture),
            ["Smtp:FromAddress"] = sender.FromAddress,
            ["Smtp:TrustedCertificateSha256"] = sender.TrustedCertificateSha256,
            ["Smtp:Timeout"] = "00:00:10",
        };
    }

    /// <summary>The next <paramref name="count"/> messages are answered "451 try again later" and not kept.</summary>
    public void FailNext(int count) => Interlocked.Exchange(ref _failNext, count);

    /// <summary>RCPT TO this address is answered 550 (a permanent refusal).</summary>
    public void RefuseRecipient(string address) => _refused[address] = true;

    public async Task<IReadOnlyList<ReceivedEmail>> WaitForMessagesAsync(int count, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (_messages.Count < count)
        {
            try
            {
                await Task.Delay(20, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"The SMTP server received {_messages.Count} message(s) within {timeout}, not {count}.");
            }
        }

        return Messages;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _server.Shutdown();
        await Task.WhenAny(_running, Task.Delay(TimeSpan.FromSeconds(5)));
        _stop.Dispose();
        _certificate?.Dispose();
    }

    private void Start(bool implicitTls, string? username, string? password)
    {
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(endpoint =>
            {
                endpoint.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)).IsSecure(implicitTls);
                if (_certificate is not null)
                {
                    endpoint.Certificate(_certificate).SupportedSslProtocols(SslProtocols.Tls12 | SslProtocols.Tls13);
                }

                if (username is not null)
                {
                    endpoint.AuthenticationRequired(true).AllowUnsecureAuthentication(false);
                }
            })
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(this));
        services.Add(new Filter(this));
        if (username is not null)
        {
            services.Add(new DelegatingUserAuthenticator((user, secret) => user == username && secret == password));
        }

        _server = new SmtpServer.SmtpServer(options, services);
        _running = _server.StartAsync(_stop.Token);
    }

    private async Task WaitUntilListeningAsync()
    {
        for (var attempt = 0; attempt < 250; attempt++)
        {
            if (_running.IsFaulted)
            {
                await _running;
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(20);
            }
        }

        throw new InvalidOperationException($"The local SMTP server did not start listening on port {Port}.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static X509Certificate2 MakeCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        // Through PKCS#12 so the private key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(made.Export(X509ContentType.Pkcs12), null);
    }

    private static string Address(IMailbox mailbox) => $"{mailbox.User}@{mailbox.Host}";

    private sealed class Store(LocalSmtpServer owner) : IMessageStore
    {
        public Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer,
            CancellationToken cancellationToken)
        {
            if (Interlocked.Decrement(ref owner._failNext) >= 0)
            {
                return Task.FromResult(new SmtpResponse(SmtpReplyCode.Aborted, "4.3.0 Temporary failure, try again later"));
            }

            Interlocked.Exchange(ref owner._failNext, 0);
            var raw = buffer.ToArray();
            using var stream = new MemoryStream(raw);
            owner._messages.Enqueue(new ReceivedEmail(
                MimeMessage.Load(stream, cancellationToken),
                [.. transaction.To.Select(Address)],
                Address(transaction.From),
                context.Pipe.IsSecure,
                context.Pipe.SslProtocol,
                context.Authentication.IsAuthenticated ? context.Authentication.User : null,
                raw));
            return Task.FromResult(SmtpResponse.Ok);
        }
    }

    private sealed class Filter(LocalSmtpServer owner) : IMailboxFilter
    {
        public Task<bool> CanAcceptFromAsync(ISessionContext context, IMailbox from, int size, CancellationToken cancellationToken) =>
            Task.FromResult(true);

        public Task<bool> CanDeliverToAsync(ISessionContext context, IMailbox to, IMailbox from, CancellationToken cancellationToken) =>
            Task.FromResult(!owner._refused.ContainsKey(Address(to)));
    }
}
