using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace eSafe.EndToEnd.Tests.Support;

/// <summary>
/// The unpacked extension copied with a key of its own (made at run time), so it has an extension ID of its own.
/// Managed policy is per extension ID: a policy for this copy (<see cref="ManagedPolicy"/>) reaches no other
/// Chromium on the machine, whatever else runs at the same time.
/// </summary>
public sealed class ExtensionCopy
{
    private ExtensionCopy(string directory, string id)
    {
        Directory = directory;
        Id = id;
    }

    public string Directory { get; }

    public string Id { get; }

    public static ExtensionCopy Make(string directory)
    {
        Copy(new DirectoryInfo(RepositoryLayout.Extension), directory);
        using var rsa = RSA.Create(2048);
        var publicKey = rsa.ExportSubjectPublicKeyInfo();
        var manifestPath = Path.Combine(directory, "manifest.json");
        var manifest = JsonNode.Parse(File.ReadAllText(manifestPath))!.AsObject();
        manifest["key"] = Convert.ToBase64String(publicKey);
        File.WriteAllText(manifestPath, manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return new ExtensionCopy(directory, IdOf(publicKey));
    }

    // Chrome's rule: the first 128 bits of the key's SHA-256, hex digits mapped 0-f → a-p.
    private static string IdOf(byte[] publicKey) =>
        string.Concat(Convert.ToHexStringLower(SHA256.HashData(publicKey))[..32].Select(c => (char)('a' + Convert.ToInt32(c.ToString(), 16))));

    /// <summary>The unpacked extension's files, without its tests and node_modules.</summary>
    public static void Copy(DirectoryInfo from, string to)
    {
        System.IO.Directory.CreateDirectory(to);
        foreach (var file in from.GetFiles())
        {
            file.CopyTo(Path.Combine(to, file.Name));
        }

        foreach (var sub in from.GetDirectories().Where(d => d.Name is not ("node_modules" or "test" or "test-support")))
        {
            Copy(sub, Path.Combine(to, sub.Name));
        }
    }
}
