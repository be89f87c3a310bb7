using System.Text.Json;
using eSafe.Contracts;
using eSafe.Contracts.Http;
using eSafe.Detection;
using eSafe.Host.Configuration;

namespace eSafe.Host.Libraries;

/// <summary>
/// The libraries last downloaded, in the state folder (<c>libraries/global.eslib</c>, <c>libraries/school.json</c>),
/// written atomically, so that a host starting without the network scans with them. A file that does not read
/// is left out (and logged): the host then uses what it has.
/// </summary>
public sealed class LibraryCache(string directory, HostLog log)
{
    public string GlobalFile => Path.Combine(directory, "global.eslib");

    public string SchoolFile => Path.Combine(directory, "school.json");

    /// <summary>The set to start with: the built-in global library, or a newer cached one; the cached layer of this school.</summary>
    public LibrarySet Load(string? schoolId)
    {
        var set = LibrarySet.BuiltIn();
        if (ReadGlobal() is { } cached && LibraryVersionOrder.IsNewer(cached.Library.Version, set.Global.Version))
        {
            set = set with { Global = cached.Library, GlobalETag = cached.ETag };
        }

        return schoolId is null ? set : set with { School = ReadSchool(schoolId) };
    }

    public void WriteGlobal(byte[] compiled) => StateFiles.WriteAtomically(GlobalFile, compiled);

    public void WriteSchool(SchoolLayerPackage package) => StateFiles.Write(SchoolFile, package, ContractsJson.Default.SchoolLayerPackage);

    private (CompiledLibrary Library, string ETag)? ReadGlobal()
    {
        try
        {
            var bytes = File.ReadAllBytes(GlobalFile);
            return (LibraryFormat.Read(bytes), LibraryETags.OfGlobal(bytes));
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or IOException or UnauthorizedAccessException)
        {
            log.Error($"the cached global library cannot be used ({e.Message}); using the built-in one");
            return null;
        }
    }

    private SchoolLayer? ReadSchool(string schoolId)
    {
        try
        {
            var package = StateFiles.Read(SchoolFile, ContractsJson.Default.SchoolLayerPackage);
            // A device moved to another school keeps nothing of the old one's layer.
            return package is null || package.SchoolId != schoolId ? null : SchoolLayer.From(package, schoolId);
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is InvalidDataException or JsonException or IOException or UnauthorizedAccessException)
        {
            log.Error($"the cached school layer cannot be used ({e.Message}); scanning without it until the server sends it again");
            return null;
        }
    }
}
