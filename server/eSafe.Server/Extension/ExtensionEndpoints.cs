using eSafe.Server.Web;

namespace eSafe.Server.Extension;

/// <summary>
/// The packed extension and its update manifest at stable addresses, for Chrome to force-install by policy
/// (<c>ExtensionInstallForcelist</c>: <c>ID;https://server/extension/updates.xml</c>). Public: the CRX holds
/// nothing secret, and Chrome fetches it before anyone has signed in.
/// </summary>
public static class ExtensionEndpoints
{
    public static IEndpointRouteBuilder MapExtensionDownloads(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/extension");
        group.MapGet("/updates.xml", UpdateManifestXml);
        group.MapGet("/" + HostedExtension.FileName, Crx);
        return app;
    }

    private static IResult UpdateManifestXml(HttpRequest request, HostedExtension hosted)
    {
        var (package, problem) = hosted.Current();
        if (package is null)
        {
            return Problems.NotFound(problem!);
        }

        // The address the browser used (a trusted proxy's forwarded scheme and host included).
        var codebase = new Uri($"{request.Scheme}://{request.Host}{request.PathBase}{HostedExtension.CrxPath}");
        return TypedResults.Text(UpdateManifest.Write(package, codebase), "application/xml", System.Text.Encoding.UTF8);
    }

    private static IResult Crx(HostedExtension hosted)
    {
        var (package, problem) = hosted.Current();
        return package is null
            ? Problems.NotFound(problem!)
            : TypedResults.Bytes(package.Bytes, "application/x-chrome-extension", HostedExtension.FileName);
    }
}
