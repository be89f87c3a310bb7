using System.Security.Cryptography;
using eSafe.Host.Configuration;
using eSafe.Host.Roster;
using eSafe.Host.Tests.Support;
using eSafe.Incidents;

namespace eSafe.Host.Tests.Roster;

public sealed class RosterIdsTests
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);

    private static string Id(string email) => PseudonymousId.Compute(Key, email);

    [Test]
    public void Each_pupil_gets_the_ID_a_device_computes_and_every_other_column_is_kept()
    {
        const string Roster = "name,email,class\nAda Lovelace,  Ada.Lovelace@School.EXAMPLE ,7B\n\"Brown, Charlie\",charlie@school.example,\"8\"\"A\"\"\"\n";

        var outcome = RosterIds.Add(Roster, Key, skipBad: false);

        outcome.Problems.Should().BeEmpty();
        outcome.Rows.Should().Be(2);
        var records = Csv.Parse(outcome.Output!);
        records.Select(r => r.Fields).Should().BeEquivalentTo(new[]
        {
            new[] { "name", "email", "class", "userId" },
            new[] { "Ada Lovelace", "  Ada.Lovelace@School.EXAMPLE ", "7B", Id("ada.lovelace@school.example") },
            new[] { "Brown, Charlie", "charlie@school.example", "8\"A\"", Id("charlie@school.example") },
        }, o => o.WithStrictOrdering());
    }

    [Test]
    public async Task The_roster_ID_is_the_one_the_host_puts_in_an_incident_for_that_account()
    {
        using var folder = new TemporaryFolder();
        using var enrolment = new TestEnrolment();
        using var outbox = new eSafe.Host.Delivery.FileOutbox(folder.Sub("outbox"));
        await using var extension = new ExtensionSide(outbox, enrolment.State, new FixedClock(DateTimeOffset.UtcNow), userIdKey: Key);
        await extension.HelloAsync(" Pupil.One@School.Example");
        await extension.SendAsync(new eSafe.Contracts.Native.TextMessage(new TextEvent("ev-1", 4, "box", TextSources.Typed,
            "https://chat.example.org/", null, "i want to kill myself", DateTimeOffset.UtcNow.AddMinutes(-1), 0)));
        await extension.ReplyToCaptureAsync();
        await extension.ExpectAsync<eSafe.Contracts.Native.AckMessage>();
        var envelope = outbox.Read(outbox.Pending().Single())!;
        var incident = System.Text.Json.JsonSerializer.Deserialize(IncidentSealer.Open(envelope, enrolment.ServerKey), IncidentJson.Default.Incident)!;

        var roster = RosterIds.Add("email\npupil.one@school.example\n", Key, skipBad: false);

        Csv.Parse(roster.Output!)[1].Fields[1].Should().Be(incident.UserId);
    }

    private static IEnumerable<TestCaseData> BadRosters()
    {
        yield return new TestCaseData("name,mail\nAda,ada@school.example\n", "line 1: no 'email' column").SetArgDisplayNames("no email column");
        yield return new TestCaseData("", "the roster is empty").SetArgDisplayNames("empty");
        yield return new TestCaseData("email,userId\na@s.example,x\n", "has a 'userId' column already").SetArgDisplayNames("a userId column already");
        yield return new TestCaseData("email,name\n\"a@s.example,Ada\n", "a quoted field is never closed").SetArgDisplayNames("an open quote");
    }

    [TestCaseSource(nameof(BadRosters))]
    public void A_roster_that_cannot_be_read_writes_nothing_and_says_why(string roster, string problem)
    {
        var read = () => RosterIds.Add(roster, Key, skipBad: true);

        if (problem.Contains("never closed", StringComparison.Ordinal))
        {
            read.Should().Throw<InvalidDataException>().WithMessage($"*{problem}*");
            return;
        }

        var outcome = read();
        outcome.Output.Should().BeNull();
        outcome.Problems.Should().ContainSingle().Which.Should().Contain(problem);
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Bad_rows_are_reported_by_line_and_only_skip_bad_writes_the_rest(bool skipBad)
    {
        const string Roster = "email,name\nada@school.example,Ada\nnot-an-email,Bob\n\ncarol@school.example\n\"dan@school.example\",\"Dan\nSmith\"\nerin@ school.example,Erin\n";

        var outcome = RosterIds.Add(Roster, Key, skipBad);

        outcome.Problems.Should().Equal(
            "line 3: 'not-an-email' is not an email address",
            "line 5: 1 fields where the header has 2",
            "line 8: 'erin@ school.example' is not an email address");
        if (skipBad)
        {
            Csv.Parse(outcome.Output!).Skip(1).Select(r => r.Fields[0]).Should().Equal("ada@school.example", "dan@school.example");
        }
        else
        {
            outcome.Output.Should().BeNull();
        }
    }

    [Test]
    public void A_key_file_is_made_once_readable_by_its_owner_only_and_read_back()
    {
        using var folder = new TemporaryFolder();
        var path = folder.Sub("school.key");

        SchoolKeyFile.Create(path);
        var key = SchoolKeyFile.Read(path);
        var again = () => SchoolKeyFile.Create(path);

        key.Should().HaveCount(32).And.NotEqual(new byte[32]);
        again.Should().Throw<IOException>();
        SchoolKeyFile.Read(path).Should().Equal(key, "a refused overwrite leaves the key as it was");
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(path).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    [TestCase("")]
    [TestCase("# only a comment\n")]
    [TestCase("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHg==\n")]
    [TestCase("not base64 at all, not at all, not at all!!\n")]
    public void A_file_without_a_key_is_refused(string content)
    {
        using var folder = new TemporaryFolder();
        var path = folder.Sub("school.key");
        File.WriteAllText(path, content);

        var read = () => SchoolKeyFile.Read(path);

        read.Should().Throw<InvalidDataException>().WithMessage("*holds no school key*");
    }
}
