using System.Net;
using System.Text.Json;
using eSafe.Contracts;
using eSafe.Contracts.Http;
using eSafe.Detection;
using Refit;

namespace eSafe.Host.Libraries;

/// <summary>
/// Keeps the host's libraries those of its school on the server: asks for the versions at start and every
/// 15 minutes, downloads only what changed, keeps it in the cache and swaps the matcher. Anything that does
/// not read is logged and the libraries in use stay. The same answer names the server's current sealing key, handed to
/// <paramref name="serverKeys"/> (see <see cref="Delivery.ServerKeyUpdates"/>).
/// </summary>
public sealed class LibraryUpdater(IDeviceApi api, string deviceToken, string schoolId, LibraryCache cache, LiveMatcher matcher, HostLog log,
    Delivery.ServerKeyUpdates? serverKeys = null)
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan RetryAfterFailure = TimeSpan.FromMinutes(1);

    /// <summary>The largest download taken: the global library is about 1.4 MB today.</summary>
    public const int MaxDownloadBytes = 64 * 1024 * 1024;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var updated = await TryUpdateAsync(cancellationToken);
                await Task.Delay(updated ? Interval : RetryAfterFailure, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: the libraries in use and in the cache stay as they are.
        }
    }

    /// <summary>One round; false when the server could not be asked (the libraries in use stay).</summary>
    public async Task<bool> TryUpdateAsync(CancellationToken cancellationToken)
    {
        try
        {
            await UpdateAsync(cancellationToken);
            return true;
        }
        // A failure while stopping is still a failure, not a crash; only our own cancellation ends the loop.
        catch (Exception e) when (e is ApiExceptionBase or HttpRequestException or JsonException or InvalidDataException or IOException
                                      or UnauthorizedAccessException
                                  || e is TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            log.Error($"libraries not updated: {e.Message}; still using {matcher.Libraries.Describe()}");
            return false;
        }
    }

    private async Task UpdateAsync(CancellationToken cancellationToken)
    {
        var versions = await api.GetLibraryVersionsAsync(deviceToken, cancellationToken);
        serverKeys?.Offer(versions.ServerKey);
        serverKeys?.OfferEnvelopeVersions(versions.EnvelopeVersions);
        var current = matcher.Libraries;
        var next = current;
        if (LibraryVersionOrder.IsNewer(versions.GlobalVersion, current.Global.Version))
        {
            next = await DownloadGlobalAsync(next, cancellationToken);
        }

        if (versions.SchoolId == schoolId && versions.SchoolVersion != (current.School?.Version ?? 0))
        {
            next = await DownloadSchoolAsync(next, cancellationToken);
        }

        if (!ReferenceEquals(next, current))
        {
            matcher.Swap(next);
            log.Info($"libraries now: {next.Describe()}");
        }
    }

    private async Task<LibrarySet> DownloadGlobalAsync(LibrarySet current, CancellationToken cancellationToken)
    {
        using var response = await api.DownloadGlobalLibraryAsync(deviceToken, current.GlobalETag, cancellationToken);
        if (await ContentAsync(response, cancellationToken) is not { } bytes)
        {
            return current;
        }

        CompiledLibrary library;
        try
        {
            library = LibraryFormat.Read(bytes);
        }
        catch (FormatException e)
        {
            throw new InvalidDataException($"the server's global library does not read: {e.Message}", e);
        }

        // Never back to an older library than the one in use (a host newer than its server keeps its own).
        if (!LibraryVersionOrder.IsNewer(library.Version, current.Global.Version))
        {
            return current;
        }

        cache.WriteGlobal(bytes);
        return current with { Global = library, GlobalETag = LibraryETags.OfGlobal(bytes) };
    }

    private async Task<LibrarySet> DownloadSchoolAsync(LibrarySet current, CancellationToken cancellationToken)
    {
        var held = current.School is { } school ? LibraryETags.OfSchoolLayer(school.SchoolId, school.Version) : null;
        using var response = await api.DownloadSchoolLayerAsync(deviceToken, held, cancellationToken);
        if (await ContentAsync(response, cancellationToken) is not { } bytes)
        {
            return current;
        }

        var package = JsonSerializer.Deserialize(bytes, ContractsJson.Default.SchoolLayerPackage)
                      ?? throw new InvalidDataException("the server sent no school layer");
        var layer = SchoolLayer.From(package, schoolId);
        cache.WriteSchool(package);
        return current with { School = layer };
    }

    /// <summary>The body of a 200, null for a 304; anything else (or too large) throws.</summary>
    private static async Task<byte[]?> ContentAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.StatusCode == HttpStatusCode.NotModified)
        {
            return null;
        }

        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new HttpRequestException($"the server answered {(int)response.StatusCode} for {response.RequestMessage?.RequestUri?.AbsolutePath}",
                null, response.StatusCode);
        }

        if (response.Content.Headers.ContentLength > MaxDownloadBytes)
        {
            throw new InvalidDataException($"the server's library is larger than {MaxDownloadBytes / (1024 * 1024)} MB");
        }

        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return bytes.Length <= MaxDownloadBytes
            ? bytes
            : throw new InvalidDataException($"the server's library is larger than {MaxDownloadBytes / (1024 * 1024)} MB");
    }
}
