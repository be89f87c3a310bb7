using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using eSafe.Contracts.Http;
using eSafe.Server.Cli;
using eSafe.Server.Security;
using eSafe.Server.Storage;
using eSafe.Server.Tests.Support;
using LiteDB;

namespace eSafe.Server.Tests;

/// <summary>
/// The audit log is tamper-evident: each case stops a server, changes its database through LiteDB itself (as someone
/// with the data folder but not the keys could), and runs <c>esafe-server audit verify</c>.
/// </summary>
public sealed class AuditTests
{
    private const int AnchorEvery = 5;
    private string _pristine = null!;
    private long _entries;

    [OneTimeSetUp]
    public async Task MakeALogAsync()
    {
        _pristine = ServerHarness.NewDataDirectory();
        await using var server = await ServerHarness.StartAsync(_pristine, configure: o => o with { AuditAnchorInterval = AnchorEvery });
        var device = await server.EnrolAsync();
        await server.DeviceApi().UploadIncidentAsync(TestIncidents.Seal(TestIncidents.New(device), device.ServerKey), device.DeviceToken, CancellationToken.None);
        var api = await server.SignedInAsync();
        for (var i = 0; i < 6; i++)
        {
            await api.ListIncidentsAsync(new IncidentQuery(), CancellationToken.None);
        }

        _entries = (await server.Service<IAuditLog>().ReadAsync(0, 10_000, CancellationToken.None)).Count;
        _entries.Should().BeGreaterThan(2 * AnchorEvery);
    }

    [OneTimeTearDown]
    public void Remove() => Directory.Delete(_pristine, recursive: true);

    private static async Task<(int Exit, string Output, string Error)> VerifyAsync(string data)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await ServerCommands.Create().Parse(["audit", "verify", "--data", data])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    private string Copy()
    {
        var copy = ServerHarness.NewDataDirectory();
        foreach (var file in Directory.EnumerateFiles(_pristine, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(_pristine, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        return copy;
    }

    private static void Edit(string data, Action<ILiteCollection<BsonDocument>> change)
    {
        using var database = DataFolderDatabase.Open(data);
        change(database.GetCollection("audit"));
    }

    // What someone without the key can do: chain the lines again with SHA-256, or HMAC under a key of their own.
    private static string Forged(BsonDocument d, byte[]? key)
    {
        var text = new StringBuilder();
        foreach (var field in new[]
        {
            d["_id"].AsInt64.ToString(CultureInfo.InvariantCulture), d["at"].AsInt64.ToString(CultureInfo.InvariantCulture), d["actor"].AsString,
            d["action"].AsString, NullOr(d["incidentId"]), NullOr(d["schoolId"]), NullOr(d["remoteAddress"]), NullOr(d["detail"]), d["previousHash"].AsString,
        })
        {
            text.Append(field is null ? "-1" : field.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(field).Append('\n');
        }

        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        return Convert.ToHexStringLower(key is null ? SHA256.HashData(bytes) : HMACSHA256.HashData(key, bytes));
    }

    private static string? NullOr(BsonValue value) => value.IsNull ? null : value.AsString;

    private static void Rechain(ILiteCollection<BsonDocument> lines, long from, byte[]? key)
    {
        var previous = from == 1 ? new string('0', 64) : lines.FindById(from - 1)["hash"].AsString;
        foreach (var line in lines.Query().Where("$._id >= @0", from).OrderBy("$._id").ToList())
        {
            line["previousHash"] = previous;
            line["hash"] = Forged(line, key);
            lines.Update(line);
            previous = line["hash"].AsString;
        }
    }

    public static IEnumerable<TestCaseData> Tampering()
    {
        yield return new TestCaseData((Action<string>)(data => Edit(data, lines =>
        {
            var line = lines.FindById(3);
            line["actor"] = "someone-else";
            lines.Update(line);
        })), "Entry 3 was changed").SetArgDisplayNames("a line edited");
        yield return new TestCaseData((Action<string>)(data => Edit(data, lines =>
        {
            var line = lines.FindById(3);
            line["detail"] = "nothing to see";
            lines.Update(line);
            Rechain(lines, 3, key: null);
        })), "Entry 3 was changed").SetArgDisplayNames("edited and re-chained with SHA-256");
        yield return new TestCaseData((Action<string>)(data => Edit(data, lines =>
        {
            var line = lines.FindById(4);
            line["remoteAddress"] = "10.9.9.9";
            lines.Update(line);
            Rechain(lines, 4, RandomNumberGenerator.GetBytes(32));
        })), "Entry 4 was changed").SetArgDisplayNames("edited and re-chained with another key");
        yield return new TestCaseData((Action<string>)(data => Edit(data, lines => lines.Delete(6))), "Entries 6 to 6 are missing")
            .SetArgDisplayNames("a line deleted");
        yield return new TestCaseData((Action<string>)(data => Edit(data, lines =>
        {
            var last = lines.Max("_id").AsInt64;
            lines.DeleteMany(Query.GTE("_id", last - 2));
        })), "removed from the end").SetArgDisplayNames("the end cut off");
        yield return new TestCaseData((Action<string>)(data => Edit(data, lines =>
        {
            // Everything from line 2 on replaced by one plausible line: nothing ahead of it and a chain that follows.
            lines.DeleteMany(Query.GTE("_id", 3));
            var line = lines.FindById(2);
            line["action"] = AuditActions.Logout;
            lines.Update(line);
            Rechain(lines, 2, key: null);
        })), "removed from the end").SetArgDisplayNames("rebuilt from line 2");
        yield return new TestCaseData((Action<string>)(data =>
        {
            var anchors = Path.Combine(data, "keys", AuditAnchors.FileName);
            var text = File.ReadAllLines(anchors);
            var parts = text[0].Split(' ');
            parts[1] = "1";
            text[0] = string.Join(' ', parts);
            File.WriteAllLines(anchors, text);
        }), "Anchor line 1").SetArgDisplayNames("an anchor edited");
    }

    [TestCaseSource(nameof(Tampering))]
    public async Task Verify_finds_the_tampering(Action<string> tamper, string problem)
    {
        var data = Copy();
        try
        {
            (await VerifyAsync(data)).Exit.Should().Be(0, "the copy is intact before it is changed");
            tamper(data);

            var (exit, output, _) = await VerifyAsync(data);

            exit.Should().Be(AuditCommands.Tampered, output);
            output.Should().Contain("NOT intact").And.Contain(problem);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Test]
    public async Task An_intact_log_verifies_and_is_anchored_every_N_entries_and_at_shutdown()
    {
        var data = Copy();
        try
        {
            var (exit, output, error) = await VerifyAsync(data);
            exit.Should().Be(0, error);
            output.Should().Contain($"Audit log intact: {_entries} entries").And.Contain($"covering {_entries} entries");

            var anchors = Path.Combine(data, "keys", AuditAnchors.FileName);
            SecureFiles.IsPrivate(anchors).Should().BeTrue();
            var counts = File.ReadAllLines(anchors).Select(l => long.Parse(l.Split(' ')[1], CultureInfo.InvariantCulture)).ToList();
            counts.Should().BeInAscendingOrder().And.Contain(AnchorEvery).And.Contain(2 * AnchorEvery);
            counts[^1].Should().Be(_entries, "the head is anchored at shutdown");
            SecureFiles.IsPrivate(Path.Combine(data, "keys", AuditKey.FileName)).Should().BeTrue();
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Test]
    public async Task Without_its_key_the_log_is_refused_not_given_a_new_key()
    {
        var data = Copy();
        try
        {
            File.Delete(Path.Combine(data, "keys", AuditKey.FileName));
            var (exit, _, error) = await VerifyAsync(data);
            exit.Should().Be(1);
            error.Should().Contain(AuditKey.FileName).And.Contain("missing");
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Test]
    public async Task A_log_written_before_keying_is_keyed_once_and_says_so()
    {
        var data = Copy();
        try
        {
            // Make the copy look like an older server's: unkeyed SHA-256 chain, no key, no marker, no anchors.
            using (var database = DataFolderDatabase.Open(data))
            {
                Rechain(database.GetCollection("audit"), 1, key: null);
                database.GetCollection("meta").Delete("audit-keyed");
            }

            File.Delete(Path.Combine(data, "keys", AuditKey.FileName));
            File.Delete(Path.Combine(data, "keys", AuditAnchors.FileName));

            await using (var server = await ServerHarness.StartAsync(data))
            {
                var lines = await server.Service<IAuditLog>().ReadAsync(_entries, 10, CancellationToken.None);
                lines[0].Action.Should().Be(AuditActions.AuditKeyed);
                lines[0].Detail.Should().Contain("intact unkeyed chain");
            }

            (await VerifyAsync(data)).Exit.Should().Be(0);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
