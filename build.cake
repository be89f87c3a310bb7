// eSafe's build: ./build.sh --target=<Target>. Targets: Build, Test, Run, Publish-Host, Package-Extension, Compile-Library.
using System.Xml.Linq;

var target = Argument("target", "Build");
var configuration = Argument("configuration", "Release");
var serverUrl = Argument("urls", "http://127.0.0.1:5080");
var artifacts = MakeAbsolute(Directory("./artifacts"));
var hostRuntime = Argument("runtime", "linux-x64");
// The publisher key that fixes the extension's ID: --extension-key=FILE, $ESAFE_EXTENSION_KEY, else keys/extension.pem
// (made on first use; git ignores keys/). Keep it: a new key is a new extension ID.
var extensionKey = MakeAbsolute(File(Argument("extension-key", EnvironmentVariable("ESAFE_EXTENSION_KEY") ?? "./keys/extension.pem")));

Task("Build")
    .Does(() =>
{
    DotNetBuild("./eSafe.sln", new DotNetBuildSettings { Configuration = configuration });
});

Task("Publish-Host")
    .Description("The native messaging host, Native AOT, into artifacts/host")
    .Does(() =>
{
    DotNetPublish("./host/eSafe.Host/eSafe.Host.csproj", new DotNetPublishSettings
    {
        Configuration = configuration,
        Runtime = hostRuntime,
        OutputDirectory = artifacts.Combine("host"),
    });
    var binary = artifacts.Combine("host").CombineWithFilePath(hostRuntime.StartsWith("win") ? "esafe-host.exe" : "esafe-host");
    Information($"Host: {binary} ({new System.IO.FileInfo(binary.FullPath).Length / 1024} KB)");
});

Task("Publish-Server")
    .Does(() =>
{
    DotNetPublish("./server/eSafe.Server/eSafe.Server.csproj", new DotNetPublishSettings
    {
        Configuration = configuration,
        OutputDirectory = artifacts.Combine("server"),
    });
});

Task("Package-Extension")
    .Description("The extension as a CRX3 signed with the publisher key (artifacts/esafe.crx, which the server offers for force-install) and a zip for the Chrome Web Store")
    .Does(() =>
{
    var staging = artifacts.Combine("extension");
    CleanDirectory(staging);
    CopyDirectory("./extension", staging);
    // Tests and their node set-up are not part of what Chrome loads.
    DeleteDirectories(new[] { staging.Combine("test"), staging.Combine("test-support") }, new DeleteDirectorySettings { Recursive = true, Force = true });
    DeleteFile(staging.CombineWithFilePath("package.json"));
    DeleteFile(staging.CombineWithFilePath("package-lock.json"));
    DeleteFile(staging.CombineWithFilePath("tsconfig.json"));
    DeleteDirectory(staging.Combine("types"), new DeleteDirectorySettings { Recursive = true, Force = true });
    if (DirectoryExists(staging.Combine("node_modules")))
    {
        DeleteDirectory(staging.Combine("node_modules"), new DeleteDirectorySettings { Recursive = true, Force = true });
    }
    var version = ParseJsonVersion(System.IO.File.ReadAllText("./extension/manifest.json"));
    var zip = artifacts.CombineWithFilePath($"esafe-extension-{version}.zip");
    Zip(staging, zip);
    Information($"Extension: {zip}");

    // The server's own packer writes the CRX (and checks it as Chrome does); the key never enters the repository.
    DotNetBuild("./server/eSafe.Server/eSafe.Server.csproj", new DotNetBuildSettings { Configuration = configuration });
    var crx = artifacts.CombineWithFilePath("esafe.crx");
    var exit = StartProcess("dotnet", new ProcessSettings
    {
        Arguments = new ProcessArgumentBuilder()
            .AppendQuoted($"./server/eSafe.Server/bin/{configuration}/net10.0/esafe-server.dll")
            .Append("extension").Append("pack").Append("--source").AppendQuoted(staging.FullPath)
            .Append("--key").AppendQuoted(extensionKey.FullPath).Append("--output").AppendQuoted(crx.FullPath).Append("--create-key"),
    });
    if (exit != 0)
    {
        throw new Exception("The extension could not be packed.");
    }
});

Task("Compile-Library")
    .Description("Compiles the default threat library's sources into core/eSafe.Detection/Libraries/default.eslib")
    .Does(() =>
{
    var exit = StartProcess("dotnet", new ProcessSettings
    {
        Arguments = new ProcessArgumentBuilder()
            .Append("run").Append("--project").AppendQuoted("./host/eSafe.Host/eSafe.Host.csproj").Append("-c").Append(configuration)
            .Append("--").Append("library").Append("compile").AppendQuoted("./core/eSafe.Detection/Libraries/default")
            .Append("-o").AppendQuoted("./core/eSafe.Detection/Libraries/default.eslib"),
    });
    if (exit != 0)
    {
        throw new Exception("The default library did not compile.");
    }
});

Task("Install-Test-Tools")
    .Description("Debian's packages the tests use, when missing: chromium (browser tests), qpdf and poppler-utils (the PDF reports), faketime (a device clock ahead), openssl (TLS versions), postgresql (the shared store's tests start a throwaway cluster), nginx (two servers behind a reverse proxy)")
    .Does(() =>
{
    // Each package with a file that shows it is installed; one apt-get update, and only when something is missing.
    var packages = new (string Package, string Probe)[]
    {
        ("chromium", "/usr/bin/chromium"),
        ("qpdf", "/usr/bin/qpdf"),
        ("poppler-utils", "/usr/bin/pdftotext"),
        ("faketime", "/usr/bin/faketime"),
        ("openssl", "/usr/bin/openssl"),
        // Debian keeps each major version's programs apart; the tests take the newest (never a service: nothing is started).
        ("postgresql", "/usr/lib/postgresql/*/bin/initdb"),
        ("nginx", "/usr/sbin/nginx"),
    };
    var missing = packages.Where(p => !GetFiles(p.Probe).Any()).Select(p => p.Package).ToList();
    if (missing.Count == 0)
    {
        return;
    }

    var sudo = Environment.UserName == "root" ? "" : "sudo ";
    var list = string.Join(" ", missing);
    Information($"Installing Debian's {list} for the tests…");
    Shell($"{sudo}apt-get update -qq && {sudo}env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq {list}");
});

Task("Test")
    .Description("Every test: .NET suites (with the end-to-end chain) and the extension's node tests")
    .IsDependentOn("Install-Test-Tools")
    .IsDependentOn("Build")
    .IsDependentOn("Publish-Host")
    .IsDependentOn("Publish-Server")
    .IsDependentOn("Package-Extension")
    .Does(() =>
{
    var results = artifacts.Combine("test-results");
    CleanDirectory(results);
    InstallTestPages("./tests/eSafe.EndToEnd.Tests/Pages/editors");
    // The extension's node tests need its dev dependencies: fake-indexeddb and typescript (never packed).
    InstallTestPages("./extension");
    var failed = false;
    try
    {
        DotNetTest("./eSafe.sln", new DotNetTestSettings
        {
            Configuration = configuration,
            NoBuild = true,
            ResultsDirectory = results,
            Loggers = { "trx", "console;verbosity=normal" },
            EnvironmentVariables =
            {
                ["ESAFE_HOST_BINARY"] = artifacts.Combine("host").CombineWithFilePath("esafe-host").FullPath,
                ["ESAFE_SERVER_DLL"] = artifacts.Combine("server").CombineWithFilePath("esafe-server.dll").FullPath,
                ["ESAFE_EXTENSION_CRX"] = artifacts.CombineWithFilePath("esafe.crx").FullPath,
            },
        });
    }
    catch (Exception e)
    {
        Error(e.Message);
        failed = true;
    }

    var (passed, failedCount, skipped) = CountTrx(results);
    var (nodeExit, nodePassed, nodeFailed) = RunNodeTests();
    // Printed after the node tests, so the last lines of a CI log name what failed and why.
    foreach (var failure in FailedTrxTests(results))
    {
        Error(failure);
    }
    failed |= nodeExit != 0 || failedCount > 0;
    Information($".NET: {passed} passed, {failedCount} failed, {skipped} skipped; extension: {nodePassed} passed, {nodeFailed} failed");
    // A plain line, uncoloured, that CI reads as the run's result.
    Console.WriteLine($"Tests: {passed + nodePassed} passed, {failedCount + nodeFailed} failed, {skipped} skipped");
    if (failed)
    {
        throw new Exception("Some tests failed.");
    }
});

Task("Run")
    .Description("The server with its console, an embedded LiteDB under ./data, a demo school and analyst")
    .IsDependentOn("Build")
    .Does(() =>
{
    var exit = StartProcess("dotnet", new ProcessSettings
    {
        Arguments = new ProcessArgumentBuilder()
            .Append("run").Append("--project").AppendQuoted("./server/eSafe.Server/eSafe.Server.csproj")
            .Append("-c").Append(configuration).Append("--no-build").Append("--")
            .Append("serve").Append("--data").AppendQuoted(MakeAbsolute(Directory("./data")).FullPath)
            .Append("--urls").AppendQuoted(serverUrl).Append("--demo"),
    });
    if (exit != 0)
    {
        throw new Exception($"The server stopped with exit code {exit}.");
    }
});

RunTarget(target);

void Shell(string command)
{
    var exit = StartProcess("bash", new ProcessSettings { Arguments = new ProcessArgumentBuilder().Append("-c").AppendQuoted(command) });
    if (exit != 0)
    {
        throw new Exception($"'{command}' failed with exit code {exit}.");
    }
}

// The real editors the end-to-end tests type into (npm packages, served to Chromium from node_modules).
// npm ci only when node_modules is older than the lock file: npm writes node_modules/.package-lock.json last.
void InstallTestPages(string folder)
{
    var lockFile = System.IO.Path.Combine(folder, "package-lock.json");
    var installed = System.IO.Path.Combine(folder, "node_modules", ".package-lock.json");
    if (System.IO.File.Exists(installed) && System.IO.File.GetLastWriteTimeUtc(installed) >= System.IO.File.GetLastWriteTimeUtc(lockFile))
    {
        return;
    }

    Information($"npm ci in {folder}…");
    var exit = StartProcess("npm", new ProcessSettings
    {
        Arguments = "ci --ignore-scripts --no-audit --no-fund",
        WorkingDirectory = folder,
    });
    if (exit != 0)
    {
        throw new Exception($"npm ci in {folder} failed with exit code {exit}.");
    }
}

string ParseJsonVersion(string json) =>
    System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("version").GetString();

(int Exit, int Passed, int Failed) RunNodeTests()
{
    var exit = StartProcess("node", new ProcessSettings
    {
        Arguments = "--test --test-reporter=tap extension/test/",
        RedirectStandardOutput = true,
    }, out var lines);
    int passed = 0, failed = 0;
    foreach (var line in lines)
    {
        Information(line);
        if (line.StartsWith("# pass ")) passed = int.Parse(line.Substring(7));
        if (line.StartsWith("# fail ")) failed = int.Parse(line.Substring(7));
    }
    return (exit, passed, failed);
}

(int Passed, int Failed, int Skipped) CountTrx(DirectoryPath directory)
{
    int passed = 0, failed = 0, skipped = 0;
    foreach (var file in GetFiles(directory.FullPath + "/**/*.trx"))
    {
        var counters = XDocument.Load(file.FullPath).Descendants().FirstOrDefault(e => e.Name.LocalName == "Counters");
        if (counters is null) continue;
        passed += (int?)counters.Attribute("passed") ?? 0;
        failed += ((int?)counters.Attribute("failed") ?? 0) + ((int?)counters.Attribute("error") ?? 0);
        // NUnit's ignored tests are counted in total but not in executed (notExecuted stays 0).
        skipped += ((int?)counters.Attribute("total") ?? 0) - ((int?)counters.Attribute("executed") ?? 0);
    }
    return (passed, failed, skipped);
}

IEnumerable<string> FailedTrxTests(DirectoryPath directory)
{
    foreach (var file in GetFiles(directory.FullPath + "/**/*.trx"))
    {
        var failures = XDocument.Load(file.FullPath).Descendants()
            .Where(e => e.Name.LocalName == "UnitTestResult" && (string?)e.Attribute("outcome") is "Failed" or "Error");
        foreach (var result in failures)
        {
            var message = result.Descendants().FirstOrDefault(e => e.Name.LocalName == "Message")?.Value ?? "";
            var stack = result.Descendants().FirstOrDefault(e => e.Name.LocalName == "StackTrace")?.Value ?? "";
            yield return $"FAILED {(string?)result.Attribute("testName")}: {Shorten(message, 1500)}\n{Shorten(stack, 1500)}";
        }
    }
}

static string Shorten(string text, int limit) => text.Length <= limit ? text : text[..limit] + " …";
