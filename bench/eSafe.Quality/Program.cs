using eSafe.Detection;
using eSafe.Detection.Quality;
using eSafe.Quality;

// dotnet run -c Release --project bench/eSafe.Quality                 the sentences, then the benign text (fetched once)
// dotnet run -c Release --project bench/eSafe.Quality -- --sentences  the sentences only
// dotnet run -c Release --project bench/eSafe.Quality -- --details    also every sentence missed or misnamed, and every false hit
// dotnet run -c Release --project bench/eSafe.Quality -- --library X  another library: a compiled file or a source folder
// See bench/README.md.
var details = args.Contains("--details");
var sentencesOnly = args.Contains("--sentences");
var root = RepositoryRoot.Find();
var libraryAt = Array.IndexOf(args, "--library");
var matcher = new ThreatMatcher(libraryAt >= 0 && libraryAt + 1 < args.Length ? LibraryFile.Load(args[libraryAt + 1]) : DefaultLibrary.Load());

var sentences = SentenceFile.ReadFolder(RepositoryRoot.SentencesFolder(root));
var report = QualityEvaluation.Evaluate(matcher, sentences);
Console.WriteLine($"Library {matcher.LibraryVersion}; {sentences.Count} sentences ({report.Overall.Positives} positive, {report.Benign} benign)");
Console.WriteLine(ReportTable.Render(report, details));

if (sentencesOnly)
{
    return 0;
}

var corpus = BenignCorpus.Ensure(root, Console.Out);
if (corpus is null)
{
    return 1;
}

Console.WriteLine(CorpusScan.Run(matcher, corpus).Render(details));
return 0;
