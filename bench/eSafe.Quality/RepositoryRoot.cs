namespace eSafe.Quality;

/// <summary>Where the repository is (the folder with eSafe.sln above the working or build folder) and its parts.</summary>
internal static class RepositoryRoot
{
    public static string Find()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "eSafe.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("run from inside the repository: no eSafe.sln above the working folder");
    }

    public static string SentencesFolder(string root) =>
        Path.Combine(root, "tests", "eSafe.Detection.Tests", "Quality", "sentences");

    /// <summary>Ignored by git: the fetched packages and the text assembled from them.</summary>
    public static string CacheFolder(string root) => Path.Combine(root, "bench", "eSafe.Quality", ".cache");
}
