using System.Collections.Concurrent;
using System.Globalization;
using eSafe.Contracts.Http;
using eSafe.Detection;
using eSafe.Server.Storage;

namespace eSafe.Server.Libraries;

/// <summary>
/// What devices download: the global library's compiled bytes (made once) and each school's layer, compiled
/// once a version and kept until the layer changes.
/// </summary>
public sealed class LibraryPackages : IDisposable
{
    private readonly ISchoolLibraryStore _layers;
    private readonly ConcurrentDictionary<string, SchoolLayerPackage> _compiled = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _compiling = new(1, 1);

    public LibraryPackages(CompiledLibrary global, ISchoolLibraryStore layers)
    {
        ArgumentNullException.ThrowIfNull(global);
        Global = global;
        _layers = layers;
        GlobalBytes = LibraryFormat.Write(global);
        GlobalETag = LibraryETags.OfGlobal(GlobalBytes);
    }

    public CompiledLibrary Global { get; }

    public byte[] GlobalBytes { get; }

    public string GlobalETag { get; }

    /// <summary>The school's layer as a device gets it, compiled; an unchanged layer costs one small read.</summary>
    public async Task<SchoolLayerPackage> SchoolPackageAsync(string schoolId, CancellationToken cancellationToken)
    {
        var version = await _layers.GetVersionAsync(schoolId, cancellationToken);
        if (Known(schoolId, version) is { } known)
        {
            return known;
        }

        // One compile at a time: after a change, every device of the school asks within minutes.
        await _compiling.WaitAsync(cancellationToken);
        try
        {
            if (Known(schoolId, version) is { } compiledMeanwhile)
            {
                return compiledMeanwhile;
            }

            var package = Package(await _layers.GetAsync(schoolId, cancellationToken));
            _compiled[schoolId] = package;
            return package;
        }
        finally
        {
            _compiling.Release();
        }
    }

    public void Dispose() => _compiling.Dispose();

    /// <summary>Keeps a layer already compiled (on its way in, to check it) for the devices that will ask for it.</summary>
    public void Remember(SchoolLayerPackage package)
    {
        ArgumentNullException.ThrowIfNull(package);
        _compiled[package.SchoolId] = package;
    }

    private SchoolLayerPackage? Known(string schoolId, int version) =>
        _compiled.TryGetValue(schoolId, out var known) && known.Version == version ? known : null;

    /// <summary>The layer compiled; throws <see cref="FormatException"/> when its entries cannot make a library.</summary>
    public static SchoolLayerPackage Package(SchoolLayerRecord layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        byte[]? bytes = null;
        if (layer.Entries.Count > 0)
        {
            var library = new ThreatLibrary(SchoolEntryRules.LayerName(layer.SchoolId), layer.Version.ToString(CultureInfo.InvariantCulture),
                layer.Entries.Select(e => e with { Id = SchoolEntryRules.QualifiedId(layer.SchoolId, e.Id) }));
            bytes = LibraryFormat.Write(CompiledLibrary.Compile(library));
        }

        return new SchoolLayerPackage(layer.SchoolId, layer.Version, bytes, layer.DisabledGlobalIds);
    }
}
