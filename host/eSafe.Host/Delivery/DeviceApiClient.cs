using eSafe.Contracts;
using eSafe.Contracts.Http;
using eSafe.Host.Libraries;
using Microsoft.Extensions.DependencyInjection;
using Refit;

namespace eSafe.Host.Delivery;

/// <summary>The one place the host makes its Refit client for the server.</summary>
public sealed class DeviceApiClient : IDisposable
{
    private readonly ServiceProvider _services;

    /// <param name="pins">The server's pinned public keys (SHA-256 of SubjectPublicKeyInfo); none: the usual certificate checks.</param>
    public DeviceApiClient(Uri serverUrl, IReadOnlyList<byte[]>? pins = null)
    {
        var services = new ServiceCollection();
        // The generated client: no reflection, so it survives Native AOT.
        services.AddRefitGeneratedClient<IDeviceApi>(ContractsJson.Default)
            .ConfigureHttpClient(client =>
            {
                client.BaseAddress = serverUrl;
                client.Timeout = TimeSpan.FromSeconds(30);
                // Bounds every answer read into memory: the largest is a library download.
                client.MaxResponseContentBufferSize = LibraryUpdater.MaxDownloadBytes;
            })
            // Every request (enrolment, uploads, libraries) goes through the transport's checks.
            .ConfigurePrimaryHttpMessageHandler(() => ServerTransport.Handler(pins ?? []));
        _services = services.BuildServiceProvider();
        Api = _services.GetRequiredService<IDeviceApi>();
    }

    public IDeviceApi Api { get; }

    public void Dispose() => _services.Dispose();
}
