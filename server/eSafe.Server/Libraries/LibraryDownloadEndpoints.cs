using eSafe.Contracts;
using eSafe.Contracts.Http;
using eSafe.Incidents;
using eSafe.Server.Devices;
using eSafe.Server.Storage;
using Microsoft.Net.Http.Headers;

namespace eSafe.Server.Libraries;

/// <summary>
/// The device API's libraries (docs/PROTOCOL.md §2): the versions in use, the compiled global library and the
/// device's own school's layer, each with an ETag so that an unchanged one costs a 304.
/// </summary>
public static class LibraryDownloadEndpoints
{
    /// <param name="devices">The <c>/api/v1/devices</c> group, which has checked the device's token.</param>
    public static RouteGroupBuilder MapLibraryDownloads(this RouteGroupBuilder devices)
    {
        ArgumentNullException.ThrowIfNull(devices);
        devices.MapGet("/libraries", VersionsAsync);
        devices.MapGet("/libraries/global", Global);
        devices.MapGet("/libraries/school", SchoolAsync);
        return devices;
    }

    private static async Task<IResult> VersionsAsync(HttpContext context, LibraryPackages packages,
        ISchoolLibraryStore layers, Security.SealingKeyRing keys)
    {
        var device = context.Device();
        var schoolVersion = await layers.GetVersionAsync(device.SchoolId, context.RequestAborted);
        return TypedResults.Json(new LibraryVersions(packages.Global.Name, packages.Global.Version, device.SchoolId, schoolVersion, keys.Current,
                [IncidentSealer.CurrentVersion, IncidentSealer.BinaryVersion]),
            ContractsJson.Default.LibraryVersions);
    }

    private static IResult Global(HttpContext context, LibraryPackages packages)
    {
        context.Response.Headers.ETag = packages.GlobalETag;
        return Matches(context, packages.GlobalETag)
            ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
            : TypedResults.Bytes(packages.GlobalBytes, "application/octet-stream");
    }

    // Only the token's school: a device never names the school it asks for.
    private static async Task<IResult> SchoolAsync(HttpContext context, LibraryPackages packages, ISchoolLibraryStore layers)
    {
        var device = context.Device();

        // The version first: an unchanged layer is answered without compiling or reading its entries.
        var current = LibraryETags.OfSchoolLayer(device.SchoolId, await layers.GetVersionAsync(device.SchoolId, context.RequestAborted));
        if (Matches(context, current))
        {
            context.Response.Headers.ETag = current;
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        var package = await packages.SchoolPackageAsync(device.SchoolId, context.RequestAborted);
        context.Response.Headers.ETag = LibraryETags.OfSchoolLayer(package.SchoolId, package.Version);
        return TypedResults.Json(package, ContractsJson.Default.SchoolLayerPackage);
    }

    private static bool Matches(HttpContext context, string etag) =>
        context.Request.GetTypedHeaders().IfNoneMatch is { Count: > 0 } given
        && given.Any(g => g.Equals(EntityTagHeaderValue.Any) || g.Tag.ToString() == etag);
}
