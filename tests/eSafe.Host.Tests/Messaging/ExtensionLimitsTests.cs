using System.Globalization;
using System.Text.RegularExpressions;
using eSafe.Contracts.Native;
using eSafe.Incidents;

namespace eSafe.Host.Tests.Messaging;

/// <summary>
/// The limits the extension and the host share, read from the extension's own JS (it has no build step to
/// generate them from): the protocol version it says in hello, the host's name, and the text caps it keeps to
/// so the host never has to refuse an event. Each is defined once per side; this is where the two sides meet.
/// </summary>
public sealed partial class ExtensionLimitsTests
{
    public enum Relation
    {
        Equal,
        AtMost,
    }

    private static readonly object[] Limits =
    [
        new object[] { "background/service-worker.js", "PROTOCOL_VERSION", NativeProtocol.Version, Relation.Equal },
        new object[] { "background/text-event.js", "MAX_TEXT", TextEvent.MaxTextLength, Relation.Equal },
        new object[] { "background/text-event.js", "MAX_URL", TextEvent.MaxUrlLength, Relation.Equal },
        new object[] { "background/text-event.js", "MAX_TITLE", TextEvent.MaxTitleLength, Relation.Equal },
        new object[] { "background/text-event.js", "MAX_FIELD_ID", TextEvent.MaxFieldIdLength, Relation.AtMost },
        new object[] { "content/capture-core.js", "MAX_TEXT", TextEvent.MaxTextLength, Relation.Equal },
        new object[] { "content/page-text-core.js", "chunkChars", TextEvent.MaxTextLength, Relation.AtMost },
    ];

    [TestCaseSource(nameof(Limits))]
    public void A_number_the_extension_keeps_to_is_the_hosts(string file, string name, int host, Relation relation)
    {
        var extension = NumberIn(file, name);

        if (relation == Relation.Equal)
        {
            extension.Should().Be(host, $"{name} in extension/{file} is the host's limit");
        }
        else
        {
            extension.Should().BeInRange(1, host, $"{name} in extension/{file} stays within the host's limit");
        }
    }

    [Test]
    public void The_host_name_the_extension_connects_to_is_the_hosts()
    {
        var source = Source("background/native-transport.js");
        var match = StringConstant().Match(source);

        match.Success.Should().BeTrue("extension/background/native-transport.js defines HOST_NAME");
        match.Groups["value"].Value.Should().Be(NativeProtocol.HostName);
    }

    [Test]
    public void The_extension_id_the_host_allows_is_the_one_the_manifest_key_makes()
    {
        var manifest = System.Text.Json.JsonDocument.Parse(Source("manifest.json"));
        var key = Convert.FromBase64String(manifest.RootElement.GetProperty("key").GetString()!);
        var digest = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(key))[..32];
        var id = new string(digest.Select(d => (char)('a' + Convert.ToInt32(d.ToString(), 16))).ToArray());

        id.Should().Be(NativeProtocol.ExtensionId);
    }

    // `const NAME = 64 * 1024;`, `export const NAME = 1;` or a parameter's default `name = 16 * 1024,`.
    private static int NumberIn(string file, string name)
    {
        var source = Source(file);
        var match = Regex.Match(source, $@"(?:\bconst\s+{Regex.Escape(name)}\s*=|\b{Regex.Escape(name)}\s*=)\s*(?<value>[0-9_*\s]+?)\s*[;,]");
        match.Success.Should().BeTrue($"extension/{file} defines {name} as a number");
        return match.Groups["value"].Value
            .Split('*', StringSplitOptions.TrimEntries)
            .Select(part => int.Parse(part.Replace("_", "", StringComparison.Ordinal), CultureInfo.InvariantCulture))
            .Aggregate(1, (product, factor) => product * factor);
    }

    private static string Source(string relative)
    {
        var root = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "eSafe.sln")))
        {
            root = root.Parent;
        }

        Assert.That(root, Is.Not.Null, "the repository root (with eSafe.sln) is above the test directory");
        return File.ReadAllText(Path.Combine(root!.FullName, "extension", relative));
    }

    [GeneratedRegex(@"\bHOST_NAME\s*=\s*'(?<value>[^']*)'")]
    private static partial Regex StringConstant();
}
