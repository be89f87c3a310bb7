using System.Text;

namespace eSafe.Host.Installation;

/// <summary>
/// The files a Windows (MSI, Inno, GPO, Intune) or macOS (pkg) installer ships to register the host for every
/// user, made by the same code that <c>install --system</c> runs: the manifest, and on Windows a .reg file with
/// one HKLM key per browser naming it; on macOS and Linux the manifest in each browser's system folder, laid
/// out under the output folder as it lands on the disk.
/// </summary>
public static class InstallerFiles
{
    public const string RegFileName = "esafe-host.reg";

    /// <summary>Writes the files under <paramref name="output"/>; returns their paths, relative to it.</summary>
    public static IReadOnlyList<string> Write(string output, HostPlatform platform, string hostPath, string extensionId, IReadOnlyList<Browser> browsers)
    {
        ArgumentNullException.ThrowIfNull(browsers);
        var manifest = HostInstaller.ManifestBytes(hostPath, extensionId);
        var written = new List<string>();
        if (platform == HostPlatform.Windows)
        {
            // The manifest beside the host binary, where the registry values point.
            var manifestPath = WindowsManifestPath(hostPath);
            Save(output, ManifestLocations.ManifestFileName, manifest, written);
            Save(output, RegFileName, Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(RegFile(manifestPath, browsers))).ToArray(), written);
            return written;
        }

        // Distinct: browsers that share a folder (Brave reads Chrome's) get one file.
        foreach (var folder in browsers.Select(b => ManifestLocations.ForBrowser(b, system: true, platform, home: "/nonexistent")).Distinct())
        {
            Save(output, folder.TrimStart('/') + "/" + ManifestLocations.ManifestFileName, manifest, written);
        }

        return written;
    }

    /// <summary>Where the manifest sits on Windows: beside the host binary.</summary>
    public static string WindowsManifestPath(string hostPath)
    {
        var folder = hostPath[..Math.Max(0, hostPath.LastIndexOf('\\'))];
        return (folder.Length == 0 ? "" : folder + "\\") + ManifestLocations.ManifestFileName;
    }

    /// <summary>A .reg file (regedit 5 format) with one HKLM key per browser whose default value is the manifest's path.</summary>
    public static string RegFile(string manifestPath, IReadOnlyList<Browser> browsers)
    {
        ArgumentNullException.ThrowIfNull(manifestPath);
        ArgumentNullException.ThrowIfNull(browsers);
        var text = new StringBuilder("Windows Registry Editor Version 5.00\r\n");
        foreach (var key in browsers.Select(ManifestLocations.WindowsRegistryKey).Distinct())
        {
            text.Append("\r\n[HKEY_LOCAL_MACHINE\\").Append(key).Append("]\r\n");
            text.Append("@=\"").Append(manifestPath.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)).Append("\"\r\n");
        }

        return text.ToString();
    }

    private static void Save(string output, string relativePath, byte[] content, List<string> written)
    {
        var path = Path.Combine(output, relativePath.Replace('/', Path.DirectorySeparatorChar));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        written.Add(relativePath);
    }
}
