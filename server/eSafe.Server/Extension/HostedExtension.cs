namespace eSafe.Server.Extension;

/// <summary>
/// The packed extension this server offers for force-install: the CRX at <c>Extension:CrxFile</c>, else
/// <c>esafe.crx</c> beside the server, else in the folder above it (where <c>Package-Extension</c> puts it,
/// next to the published server in <c>artifacts/</c>). Read again whenever the file changes, so a new
/// build is offered without a restart.
/// </summary>
public sealed class HostedExtension(IConfiguration configuration, ILogger<HostedExtension> log)
{
    public const string Setting = "Extension:CrxFile";
    public const string FileName = "esafe.crx";
    public const string UpdateManifestPath = "/extension/updates.xml";
    public const string CrxPath = "/extension/" + FileName;

    private readonly Lock _lock = new();
    private (string Path, DateTime Written, long Length, CrxPackage Package)? _cached;

    /// <summary>The CRX to offer, or null with the reason (no file, or one that fails Chromium's checks).</summary>
    public (CrxPackage? Package, string? Problem) Current()
    {
        var path = Locate();
        if (path is null)
        {
            return (null, $"this server has no packed extension: build one (./build.sh --target=Package-Extension) and put it beside the server as {FileName}, or set {Setting}");
        }

        var file = new FileInfo(path);
        lock (_lock)
        {
            if (_cached is { } c && c.Path == path && c.Written == file.LastWriteTimeUtc && c.Length == file.Length)
            {
                return (c.Package, null);
            }

            try
            {
                if (file.Length > CrxPackage.MaxBytes)
                {
                    throw new InvalidDataException($"larger than {CrxPackage.MaxBytes / (1024 * 1024)} MB");
                }

                var package = CrxPackage.Read(File.ReadAllBytes(path));
                _cached = (path, file.LastWriteTimeUtc, file.Length, package);
                if (log.IsEnabled(LogLevel.Information))
                {
                    log.LogInformation("Offering extension {Id} version {Version} from {Path}", package.Id, package.Version, path);
                }

                return (package, null);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or System.Security.Cryptography.CryptographicException)
            {
                log.LogError("The packed extension {Path} cannot be offered: {Reason}", path, e.Message);
                return (null, $"the packed extension on this server cannot be used: {e.Message}");
            }
        }
    }

    private string? Locate()
    {
        if (configuration[Setting] is { Length: > 0 } configured)
        {
            return File.Exists(configured) ? Path.GetFullPath(configured) : null;
        }

        return new[] { Path.Combine(AppContext.BaseDirectory, FileName), Path.Combine(AppContext.BaseDirectory, "..", FileName) }
            .Select(Path.GetFullPath)
            .FirstOrDefault(File.Exists);
    }
}
