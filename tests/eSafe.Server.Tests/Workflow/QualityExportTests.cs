using System.Net;
using eSafe.Contracts.Http;
using eSafe.Detection.Quality;
using eSafe.Server.Analysts;
using eSafe.Server.Storage;
using eSafe.Server.Tests.Support;
using Refit;

namespace eSafe.Server.Tests.Workflow;

/// <summary>
/// The analysts' signals for the quality set: a missed sentence filed over the API of a real server, a false-positive
/// decision, and then <c>esafe-server quality export</c> on the same data folder once the server has stopped.
/// </summary>
public sealed class QualityExportTests
{
    private string _data = null!;

    [SetUp]
    public void SetUp() => _data = ServerHarness.NewDataDirectory();

    [TearDown]
    public void TearDown() => Directory.Delete(_data, recursive: true);

    [Test]
    public async Task False_positives_and_missed_sentences_are_exported_as_labelled_sentences_without_ids_or_addresses()
    {
        string falsePositive;
        string userId;
        await using (var server = await ServerHarness.StartAsync(_data, demo: false))
        {
            var school = await WorkflowSchool.AddAsync(server, "Quality School");
            var play = await school.AddIncidentAsync(category: "violence", ruleId: "vio-0001",
                context: "in the play macbeth kills duncan, see https://revision.example.org/macbeth?pupil=7 for notes");
            var chat = await school.AddIncidentAsync();
            var undecided = await school.AddIncidentAsync(context: "an incident nobody has decided yet");
            falsePositive = play.Context;
            userId = play.UserId;
            var analyst = await school.SignInAsync(Roles.Analyst);
            await analyst.DecideAsync(play.Id, new DecisionRequest { Outcome = DecisionOutcomes.NoAction, NoActionReason = NoActionReasons.FalsePositive },
                CancellationToken.None);

            var filed = await analyst.FileMissedAsync(chat.Id, new MissedSentenceRequest("suicide", "  no one would notice if i just wasn't here anymore "),
                CancellationToken.None);

            filed.Should().BeEquivalentTo(new { IncidentId = chat.Id, Category = "suicide", Text = "no one would notice if i just wasn't here anymore" });
            var audit = await server.Service<IAuditLog>().ReadAsync(0, 1000, CancellationToken.None);
            audit.Should().Contain(e => e.Action == AuditActions.MissedSentenceFiled && e.IncidentId == chat.Id && e.Actor == school.Username(Roles.Analyst));
            _ = undecided;
        }

        var file = Path.Combine(_data, "signals.tsv");
        var exported = await RunAsync("quality", "export", "--out", file);

        exported.ExitCode.Should().Be(0, exported.Error);
        exported.Output.Should().Contain("Wrote 2 sentences").And.Contain("1 false positives (benign), 1 missed");
        var text = await File.ReadAllTextAsync(file);
        SentenceFile.Read(text, file).Should().Equal(
            new LabelledSentence(LabelledSentence.Benign, "in the play macbeth kills duncan, see for notes"),
            new LabelledSentence("suicide", "no one would notice if i just wasn't here anymore"));
        text.Should().NotContain(userId).And.NotContain("example.org").And.NotContain(falsePositive);
        SecureFilesArePrivate(file).Should().BeTrue();
        await using (var again = await ServerHarness.StartAsync(_data, demo: false))
        {
            var audit = await again.Service<IAuditLog>().ReadAsync(0, 1000, CancellationToken.None);
            audit.Should().Contain(e => e.Action == AuditActions.QualityExported && e.Actor == CommandLineUser.Instance.Username
                && e.Detail == "1 false positives, 1 missed sentences");
        }
    }

    [TestCase("hate", "some words the library missed", "category")]
    [TestCase("bullying", "   ", "text")]
    [TestCase("bullying", "two\nlines", "text")]
    public async Task A_bad_missed_sentence_is_refused_with_the_field_named_and_nothing_stored(string category, string text, string field)
    {
        await using var server = await ServerHarness.StartAsync(_data, demo: false);
        var school = await WorkflowSchool.AddAsync(server, "Quality School");
        var incident = await school.AddIncidentAsync();
        var analyst = await school.SignInAsync(Roles.Analyst);

        var refused = await FluentActions.Awaiting(() => analyst.FileMissedAsync(incident.Id, new MissedSentenceRequest(category, text), CancellationToken.None))
            .Should().ThrowAsync<ApiException>();

        refused.Which.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        refused.Which.Content.Should().Contain(field);
        (await server.Service<IMissedSentenceStore>().ListAsync(null, CancellationToken.None)).Should().BeEmpty();
    }

    [Test]
    public async Task A_school_contact_cannot_file_and_only_a_senior_analyst_exports()
    {
        await using (var server = await ServerHarness.StartAsync(_data, demo: false))
        {
            var school = await WorkflowSchool.AddAsync(server, "Quality School");
            var incident = await school.AddIncidentAsync();
            var contact = await school.SignInAsync(Roles.SchoolContact);

            var refused = await FluentActions.Awaiting(() => contact.FileMissedAsync(incident.Id, new MissedSentenceRequest("bullying", "they all laugh at me"),
                CancellationToken.None)).Should().ThrowAsync<ApiException>();

            refused.Which.StatusCode.Should().Be(HttpStatusCode.Forbidden);
            var analyst = new ConsoleUser("analyst-x", "Analyst", Roles.Analyst, AccessScope.EverySchool);
            (await server.Service<eSafe.Server.Workflow.QualityExport>().ExportAsync(analyst, CancellationToken.None)).Should().BeNull();
            (await server.Service<IMissedSentenceStore>().ListAsync(null, CancellationToken.None)).Should().BeEmpty();
        }

        var missingFolder = await RunAsync("quality", "export", "--out", Path.Combine(_data, "no-such-folder", "x.tsv"));
        missingFolder.ExitCode.Should().Be(1);
        missingFolder.Error.Should().Contain("does not exist");
    }

    private static bool SecureFilesArePrivate(string path) => eSafe.Server.Security.SecureFiles.IsPrivate(path);

    private Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args) => ServerCli.RunAsync([.. args, "--data", _data]);
}
