using eSafe.Detection.Quality;

namespace eSafe.Detection.Tests.Quality;

/// <summary>
/// The default library against the labelled sentences in Quality/sentences (bench/eSafe.Quality prints the same
/// figures in full, and false hits per MB on a large benign text). The floors are the figures measured when they
/// were set, not the targets (recall 0.95, category 0.90): a change that loses ground fails here; raise
/// them as the library grows.
/// </summary>
public sealed class QualityFloorTests
{
    private static readonly Lazy<QualityReport> Report = new(() =>
        QualityEvaluation.Evaluate(new ThreatMatcher(DefaultLibrary.Load()), SentenceFile.ReadFolder(SentencesFolder())));

    [Test]
    public void The_set_has_1500_sentences_with_positives_in_every_category_and_hard_benign_ones()
    {
        var sentences = SentenceFile.ReadFolder(SentencesFolder());

        sentences.Should().HaveCountGreaterThanOrEqualTo(1500);
        sentences.Where(s => s.IsPositive).Select(s => s.Label).Distinct().Should().BeEquivalentTo(ThreatCategories.All);
        sentences.Count(s => !s.IsPositive).Should().BeGreaterThanOrEqualTo(500);
        sentences.Select(s => s.Text).Should().OnlyHaveUniqueItems();
    }

    [Test]
    public void Overall_figures_stay_at_or_above_their_floors()
    {
        var overall = Report.Value.Overall;
        TestContext.Out.WriteLine($"recall {overall.Recall:0.000}, category {overall.CategoryAccuracy:0.000}, precision {overall.Precision:0.000}, benign hits {Report.Value.FalseHits.Count}");

        overall.Recall.Should().BeGreaterThanOrEqualTo(0.99);
        overall.CategoryAccuracy.Should().BeGreaterThanOrEqualTo(0.95);
        overall.Precision.Should().BeGreaterThanOrEqualTo(0.99);
        Report.Value.FalseHits.Should().HaveCountLessThanOrEqualTo(0, "benign sentences that hit: {0}",
            string.Join("; ", Report.Value.FalseHits.Select(o => $"{o.Sentence.Text} => {o.EntryId}")));
    }

    // Floors per category: recall, then category accuracy, as measured with library 2026.12.03 (rounded down).
    [TestCase(ThreatCategories.IllegalContent, 1.00, 0.92)]
    [TestCase(ThreatCategories.Bullying, 1.00, 0.90)]
    [TestCase(ThreatCategories.Grooming, 1.00, 0.95)]
    [TestCase(ThreatCategories.Discrimination, 0.96, 0.93)]
    [TestCase(ThreatCategories.Drugs, 0.98, 0.98)]
    [TestCase(ThreatCategories.Extremism, 0.97, 0.90)]
    [TestCase(ThreatCategories.Gambling, 1.00, 0.98)]
    [TestCase(ThreatCategories.Pornography, 0.98, 0.92)]
    [TestCase(ThreatCategories.SelfHarm, 1.00, 0.97)]
    [TestCase(ThreatCategories.Suicide, 0.98, 0.99)]
    [TestCase(ThreatCategories.Violence, 1.00, 0.94)]
    public void Each_category_stays_at_or_above_its_floors(string category, double recall, double categoryAccuracy)
    {
        var score = Report.Value.Categories.Single(c => c.Category == category);
        TestContext.Out.WriteLine($"{category}: recall {score.Recall:0.000} ({score.Found}/{score.Positives}), category {score.CategoryAccuracy:0.000}, precision {score.Precision:0.000}");

        score.Recall.Should().BeGreaterThanOrEqualTo(recall);
        score.CategoryAccuracy.Should().BeGreaterThanOrEqualTo(categoryAccuracy);
    }

    // The sentences in the languages added with them (Quality/sentences/languages): every one found and named right,
    // no benign one hit.
    [TestCase("ro")]
    [TestCase("ar")]
    [TestCase("bn")]
    [TestCase("pa")]
    [TestCase("so")]
    public void Each_new_language_finds_its_sentences_and_none_of_its_benign_ones(string language)
    {
        var file = Path.Combine(SentencesFolder(), "languages", language + ".tsv");
        var report = QualityEvaluation.Evaluate(new ThreatMatcher(DefaultLibrary.Load()), SentenceFile.Read(File.ReadAllText(file), file));

        report.Missed.Select(o => o.Sentence.Text).Should().BeEmpty();
        report.WrongCategory.Select(o => $"{o.Sentence.Text} => {o.FoundAs} {o.EntryId}").Should().BeEmpty();
        report.FalseHits.Select(o => $"{o.Sentence.Text} => {o.EntryId} '{o.MatchedText}'").Should().BeEmpty();
    }

    // The large benign text is fetched by the bench command (bench/eSafe.Quality) into its ignored cache; without
    // it this test says so and is skipped. Floor: the false hits per MB measured when it was set (none in its 11.7 MB;
    // the target is 0.1).
    [Test]
    public void The_benign_text_has_no_more_false_hits_a_megabyte_than_its_floor()
    {
        var file = Path.Combine(RepositoryRoot(), "bench", "eSafe.Quality", ".cache", "benign-corpus.txt");
        Assume.That(File.Exists(file), "no benign text: run 'dotnet run -c Release --project bench/eSafe.Quality' once to fetch it");

        var (hits, _) = BenignText.Scan(new ThreatMatcher(DefaultLibrary.Load()), File.ReadAllText(file));

        var perMegabyte = hits.Count / (new FileInfo(file).Length / 1e6);
        TestContext.Out.WriteLine($"{hits.Count} false hits, {perMegabyte:0.00} per MB");
        perMegabyte.Should().BeLessThanOrEqualTo(0.0, "false hits: {0}", string.Join("; ", hits.Take(50).Select(h => $"{h.Match.Entry.Id}: {h.Context}")));
    }

    // The added languages' entries against every benign sentence of the set, English included: a Latin-script
    // language (Romanian, Somali, Punjabi in Latin letters) must not hit ordinary English.
    [Test]
    public void No_entry_of_an_added_language_hits_a_benign_sentence()
    {
        string[] added = ["ro", "ar", "bn", "pa", "pa-Arab", "pa-Latn", "so"];
        var matcher = new ThreatMatcher(DefaultLibrary.Load());

        var hits = SentenceFile.ReadFolder(SentencesFolder()).Where(s => !s.IsPositive)
            .SelectMany(s => matcher.Scan(s.Text).Where(m => added.Contains(m.Entry.Language)).Select(m => $"{s.Text} => {m.Entry.Id}"));

        hits.Should().BeEmpty();
    }

    [Test]
    public void A_bad_line_is_refused_with_where_and_why()
    {
        var read = () => SentenceFile.Read("suicide\ti want to die\nnonsense\tsome text\n", "x.tsv");

        read.Should().Throw<FormatException>().WithMessage("x.tsv:2: 'nonsense' is not a category*");
        FluentActions.Invoking(() => SentenceFile.Read("no tab here", "y.tsv")).Should().Throw<FormatException>().WithMessage("y.tsv:1:*");
    }

    [Test]
    public void A_written_line_reads_back_as_the_same_sentence_on_one_line()
    {
        var line = SentenceFile.Line(new LabelledSentence("bullying", "you're\tso\r\nugly  lol"));

        line.Should().Be("bullying\tyou're so ugly lol");
        SentenceFile.Read(line, "z.tsv").Should().Equal(new LabelledSentence("bullying", "you're so ugly lol"));
    }

    private static string SentencesFolder() => Path.Combine(RepositoryRoot(), "tests", "eSafe.Detection.Tests", "Quality", "sentences");

    private static string RepositoryRoot()
    {
        var root = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "eSafe.sln")))
        {
            root = root.Parent;
        }

        Assert.That(root, Is.Not.Null, "the repository root (with eSafe.sln) is above the test directory");
        return root!.FullName;
    }
}
