using System.Text.Json;
using System.Text.Json.Nodes;

namespace eSafe.EndToEnd.Tests.Support;

/// <summary>
/// A Chrome policy file in Chromium's machine-wide managed folder (tests run as root on CI), as an IT admin
/// deploys one; under a name of the test's own, removed on dispose. It reaches every Chromium started while it
/// exists, so it names only the extension under test and sets nothing that would change other tests' browsers.
/// </summary>
public sealed class ManagedPolicy : IDisposable
{
    public const string Folder = "/etc/chromium/policies/managed";

    private ManagedPolicy(string path) => Path = path;

    public string Path { get; }

    /// <summary>Force-installs the extension from its update URL, pinned, with its managed configuration.</summary>
    public static ManagedPolicy ForceInstall(string extensionId, Uri updateUrl, JsonObject configuration)
    {
        ArgumentNullException.ThrowIfNull(updateUrl);
        var policy = new JsonObject
        {
            ["ExtensionInstallForcelist"] = new JsonArray($"{extensionId};{updateUrl}"),
            ["ExtensionSettings"] = new JsonObject
            {
                [extensionId] = new JsonObject
                {
                    ["installation_mode"] = "force_installed",
                    ["update_url"] = updateUrl.ToString(),
                    ["toolbar_pin"] = "force_pinned",
                },
            },
            ["3rdparty"] = new JsonObject { ["extensions"] = new JsonObject { [extensionId] = configuration } },
            // Chrome's default (0) keeps DevTools, and so Playwright, off a force-installed extension's pages: the test
            // reads the extension's state there. 1 allows DevTools as other tests' browsers have them anyway.
            ["DeveloperToolsAvailability"] = 1,
        };
        return Write(policy);
    }

    /// <summary>Only the extension's managed configuration (for an extension loaded by the test).</summary>
    public static ManagedPolicy Write(string extensionId, IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var configuration = new JsonObject(values.Select(v => KeyValuePair.Create(v.Key, (JsonNode?)v.Value)));
        return Write(new JsonObject { ["3rdparty"] = new JsonObject { ["extensions"] = new JsonObject { [extensionId] = configuration } } });
    }

    public static ManagedPolicy Write(JsonObject policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
        {
            Assert.Ignore($"writing Chromium's machine policy ({Folder}) needs root on Linux, as on CI");
        }

        Directory.CreateDirectory(Folder);
        var path = System.IO.Path.Combine(Folder, $"esafe-test-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, policy.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return new ManagedPolicy(path);
    }

    public void Dispose() => File.Delete(Path);
}
