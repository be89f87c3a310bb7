namespace eSafe.EndToEnd.Tests.Support;

/// <summary>
/// Where the real parts are: the published host and server (./build.sh --target=Test publishes them
/// first), the unpacked extension and Debian's Chromium. Environment variables override each.
/// </summary>
public static class RepositoryLayout
{
    public static string Root { get; } = FindRoot();

    public static string HostBinary => FromEnvironment("ESAFE_HOST_BINARY", Path.Combine(Root, "artifacts", "host", "esafe-host"));

    public static string ServerAssembly => FromEnvironment("ESAFE_SERVER_DLL", Path.Combine(Root, "artifacts", "server", "esafe-server.dll"));

    /// <summary>The CRX that <c>./build.sh --target=Package-Extension</c> signs with the publisher key.</summary>
    public static string PackedExtension => FromEnvironment("ESAFE_EXTENSION_CRX", Path.Combine(Root, "artifacts", "esafe.crx"));

    public static string Extension => Path.Combine(Root, "extension");

    public static string Chromium => FromEnvironment("ESAFE_CHROMIUM", "/usr/bin/chromium");

    /// <summary>Fails the test with what to run when a part has not been built.</summary>
    public static string Require(string path, string buildHint)
    {
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            Assert.Fail($"{path} is missing: {buildHint}");
        }

        return path;
    }

    private static string FromEnvironment(string variable, string fallback) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value ? Path.GetFullPath(value) : fallback;

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "eSafe.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("eSafe.sln not found above the test assembly.");
    }
}
