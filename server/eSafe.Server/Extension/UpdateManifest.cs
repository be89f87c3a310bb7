using System.Xml.Linq;

namespace eSafe.Server.Extension;

/// <summary>
/// Chrome's update manifest (the "gupdate" XML that an <c>ExtensionInstallForcelist</c> update URL returns):
/// the extension's ID, where its CRX is, its version and the CRX's SHA-256, which Chrome checks.
/// </summary>
public static class UpdateManifest
{
    private static readonly XNamespace Gupdate = "http://www.google.com/update2/response";

    public static string Write(CrxPackage package, Uri codebase)
    {
        ArgumentNullException.ThrowIfNull(package);
        var document = new XDocument(
            new XDeclaration("1.0", "UTF-8", null),
            new XElement(Gupdate + "gupdate",
                new XAttribute("protocol", "2.0"),
                new XElement(Gupdate + "app",
                    new XAttribute("appid", package.Id),
                    new XElement(Gupdate + "updatecheck",
                        new XAttribute("codebase", codebase.ToString()),
                        new XAttribute("hash_sha256", package.Sha256Hex),
                        new XAttribute("version", package.Version)))));
        return document.Declaration + "\n" + document.ToString();
    }
}
