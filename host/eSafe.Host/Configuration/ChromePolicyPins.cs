using System.Runtime.Versioning;
using System.Text.Json;
using Microsoft.Win32;

namespace eSafe.Host.Configuration;

/// <summary>
/// Server key pins set by the school's IT through Chrome policy: <c>pinSha256</c> (a list of base64 or hex SHA-256
/// of the server's SubjectPublicKeyInfo) in the eSafe extension's managed configuration. The host reads the same
/// machine policy Chrome reads, before it enrols, so enrolment itself is pinned (the extension's hello comes too
/// late for that). Linux: the browsers' managed policy folders; Windows: HKLM policy keys. macOS keeps policy in
/// configuration profiles the host does not parse: there, pin at install (<c>--pin-sha256</c>).
/// </summary>
public static class ChromePolicyPins
{
    public const string PolicyName = "pinSha256";

    /// <summary>Folders to read instead of the browsers' own (':' between several): for tests, and unusual Linux layouts.</summary>
    public const string FoldersVariable = "ESAFE_HOST_POLICY_DIRS";

    /// <summary>Linux: every browser's machine-wide managed policy folder (root-owned: only the admin writes there).</summary>
    public static IReadOnlyList<string> LinuxPolicyFolders { get; } =
    [
        "/etc/opt/chrome/policies/managed",
        "/etc/chromium/policies/managed",
        "/etc/opt/edge/policies/managed",
        "/etc/brave/policies/managed",
    ];

    private static readonly string[] WindowsPolicyKeys =
    [
        @"Software\Policies\Google\Chrome",
        @"Software\Policies\Chromium",
        @"Software\Policies\Microsoft\Edge",
        @"Software\Policies\BraveSoftware\Brave",
    ];

    /// <summary>The config with the policy's pins added to the install's (a pin from either is accepted).</summary>
    public static HostConfig WithPolicyPins(HostConfig config, IReadOnlyList<string> policyPins)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(policyPins);
        return policyPins.Count == 0 ? config : config with { PinSha256 = [.. (config.PinSha256 ?? []).Concat(policyPins).Distinct()] };
    }

    /// <summary>The pins this machine's policy sets (valid ones only, as base64), from wherever this platform keeps it.</summary>
    public static IReadOnlyList<string> ReadMachinePolicy() =>
        Environment.GetEnvironmentVariable(FoldersVariable) is { Length: > 0 } folders ? ReadFolders(folders.Split(':'))
        : OperatingSystem.IsWindows() ? ReadRegistry() : OperatingSystem.IsLinux() ? ReadFolders(LinuxPolicyFolders) : [];

    /// <summary>Pins from every <c>*.json</c> policy file in these folders: <c>3rdparty.extensions.&lt;any id&gt;.pinSha256</c>.</summary>
    public static IReadOnlyList<string> ReadFolders(IEnumerable<string> folders)
    {
        ArgumentNullException.ThrowIfNull(folders);
        var pins = new List<string>();
        foreach (var file in folders.Where(Directory.Exists).SelectMany(f => Directory.EnumerateFiles(f, "*.json")).Order(StringComparer.Ordinal))
        {
            try
            {
                using var policy = JsonDocument.Parse(File.ReadAllBytes(file));
                if (policy.RootElement.ValueKind == JsonValueKind.Object
                    && policy.RootElement.TryGetProperty("3rdparty", out var thirdParty) && thirdParty.ValueKind == JsonValueKind.Object
                    && thirdParty.TryGetProperty("extensions", out var extensions) && extensions.ValueKind == JsonValueKind.Object)
                {
                    foreach (var extension in extensions.EnumerateObject().Where(e => e.Value.ValueKind == JsonValueKind.Object))
                    {
                        if (extension.Value.TryGetProperty(PolicyName, out var value))
                        {
                            pins.AddRange(Values(value));
                        }
                    }
                }
            }
            catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
            {
                // A broken or unreadable policy file is Chrome's to report; the host keeps the install's pins.
            }
        }

        return Valid(pins);
    }

    private static IEnumerable<string> Values(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => [value.GetString()!],
        JsonValueKind.Array => value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!),
        _ => [],
    };

    // A pin that is not a SHA-256 is dropped: a typo must not lock the host out of its server, nor loosen anything.
    private static List<string> Valid(IEnumerable<string> pins) =>
        [.. pins.Select(p => Delivery.ServerTransport.ParsePin(p.Trim())).OfType<byte[]>().Select(Convert.ToBase64String).Distinct()];

    // HKLM\Software\Policies\<browser>\3rdparty\extensions\<id>\policy: pinSha256 as a string, or a subkey of numbered strings.
    [SupportedOSPlatform("windows")]
    private static List<string> ReadRegistry()
    {
        var pins = new List<string>();
        foreach (var browser in WindowsPolicyKeys)
        {
            using var extensions = Registry.LocalMachine.OpenSubKey(browser + @"\3rdparty\extensions");
            foreach (var id in extensions?.GetSubKeyNames() ?? [])
            {
                using var policy = extensions!.OpenSubKey(id + @"\policy");
                if (policy?.GetValue(PolicyName) is string single)
                {
                    pins.Add(single);
                }

                using var list = policy?.OpenSubKey(PolicyName);
                pins.AddRange(list?.GetValueNames().Select(n => list.GetValue(n)).OfType<string>() ?? []);
            }
        }

        return Valid(pins);
    }
}
