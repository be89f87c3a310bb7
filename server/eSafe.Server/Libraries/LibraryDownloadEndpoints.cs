using eSafe.Contracts;
using eSafe.Contracts.Http;
using eSafe.Server.Devices;
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

    private static async Task<IResult> VersionsAsync(HttpContext context, DeviceAuthenticator authenticator, LibraryPackages packages)
    {
        if (await authenticator.AuthenticateAsync(context.Request) is not { } device)
        {
            return Unauthorized(context);
        }

        var school = await packages.SchoolPackageAsync(device.SchoolId, context.RequestAborted);
        return TypedResults.Json(new LibraryVersions(packages.Global.Name, packages.Global.Version, device.SchoolId, school.Version),
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
    private static async Task<IResult> SchoolAsync(HttpContext context, DeviceAuthenticator authenticator, LibraryPackages packages)
    {
        if (await authenticator.AuthenticateAsync(context.Request) is not { } device)
        {
            return Unauthorized(context);
        }

        var package = await packages.SchoolPackageAsync(device.SchoolId, context.RequestAborted);
        var etag = LibraryETags.OfSchoolLayer(package.SchoolId, package.Version);
        context.Response.Headers.ETag = etag;
        return Matches(context, etag)
            ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
            : TypedResults.Json(package, ContractsJson.Default.SchoolLayerPackage);
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
