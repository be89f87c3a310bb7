using eSafe.Contracts;
using eSafe.Contracts.Http;
using eSafe.Server.Devices;
using eSafe.Server.Storage;
using eSafe.Server.Web;
using Microsoft.Net.Http.Headers;

namespace eSafe.Server.Libraries;

/// <summary>
/// The device API's libraries (docs/PROTOCOL.md §2): the versions in use, the compiled global library and the
/// device's own school's layer, each with an ETag so that an unchanged one costs a 304.
/// </summary>
public static class LibraryDownloadEndpoints
{
    public static IEndpointRouteBuilder MapLibraryDownloads(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/devices/libraries", VersionsAsync);
        app.MapGet("/api/v1/devices/libraries/global", GlobalAsync);
        app.MapGet("/api/v1/devices/libraries/school", SchoolAsync);
        return app;
    }

    private static async Task<IResult> VersionsAsync(HttpContext context, DeviceAuthenticator authenticator, LibraryPackages packages,
        ISchoolLibraryStore layers, Security.SealingKeyRing keys)
    {
        if (await authenticator.AuthenticateAsync(context.Request) is not { } device)
        {
            return Unauthorized(context);
        }

        var schoolVersion = await layers.GetVersionAsync(device.SchoolId, context.RequestAborted);
        return TypedResults.Json(new LibraryVersions(packages.Global.Name, packages.Global.Version, device.SchoolId, schoolVersion, keys.Current),
            ContractsJson.Default.LibraryVersions);
    }

    private static async Task<IResult> GlobalAsync(HttpContext context, DeviceAuthenticator authenticator, LibraryPackages packages)
    {
        if (await authenticator.AuthenticateAsync(context.Request) is null)
        {
            return Unauthorized(context);
        }

        context.Response.Headers.ETag = packages.GlobalETag;
        return Matches(context, packages.GlobalETag)
            ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
            : TypedResults.Bytes(packages.GlobalBytes, "application/octet-stream");
    }

    // Only the token's school: a device never names the school it asks for.
    private static async Task<IResult> SchoolAsync(HttpContext context, DeviceAuthenticator authenticator, LibraryPackages packages,
        ISchoolLibraryStore layers)
    {
        if (await authenticator.AuthenticateAsync(context.Request) is not { } device)
        {
            return Unauthorized(context);
        }

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

    private static IResult Unauthorized(HttpContext context)
    {
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return Problems.Status(StatusCodes.Status401Unauthorized, "Device not recognised",
            "A valid device token is required (Authorization: Bearer <token>); enrol the device again if it was removed.");
    }
}
