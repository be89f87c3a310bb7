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

    private static void Copy(DirectoryInfo from, string to)
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

/// <summary>
/// Chromium's managed policy for one extension ID, written where Chromium on Linux reads it
/// (<c>/etc/chromium/policies/managed</c>) and removed again on dispose.
/// </summary>
public sealed class ManagedPolicy : IDisposable
{
    public const string Folder = "/etc/chromium/policies/managed";
    private readonly string _path;

    private ManagedPolicy(string path) => _path = path;

    public static ManagedPolicy Write(string extensionId, IReadOnlyDictionary<string, string> values)
    {
        var document = new JsonObject
        {
            ["3rdparty"] = new JsonObject
            {
                ["extensions"] = new JsonObject { [extensionId] = new JsonObject(values.Select(v => KeyValuePair.Create(v.Key, (JsonNode?)v.Value))) },
            },
        };
        try
        {
            System.IO.Directory.CreateDirectory(Folder);
            var path = Path.Combine(Folder, $"esafe-test-{extensionId}.json");
            File.WriteAllText(path, document.ToJsonString());
            return new ManagedPolicy(path);
        }
        catch (UnauthorizedAccessException e)
        {
            Assert.Fail($"managed policy needs write access to {Folder} (run the end-to-end tests as root, as CI does): {e.Message}");
            throw;
        }
    }

    public void Dispose() => File.Delete(_path);
}
