using System.Diagnostics;
using System.Text.Json;
using eSafe.EndToEnd.Tests.Support;

namespace eSafe.EndToEnd.Tests;

/// <summary>The published Native AOT host's own commands, as other tools and IT admins call them.</summary>
[TestFixture]
public sealed class HostBinaryTests
{
    [Test]
    public async Task Scan_reads_lines_and_writes_one_json_object_a_line_with_the_default_library()
    {
        var (exit, output, errors) = await RunAsync(["scan"], "homework is due friday\ni want to k1ll mys3lf tonight\n");

        exit.Should().Be(0, errors);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        lines.Should().HaveCount(2);
        lines[0].GetProperty("matches").GetArrayLength().Should().Be(0);
        var hit = lines[1].GetProperty("matches").EnumerateArray().Should().ContainSingle(m => m.GetProperty("category").GetString() == "suicide").Subject;
        hit.GetProperty("start").GetInt32().Should().Be(10);
        hit.GetProperty("text").GetString().Should().Be("k1ll mys3lf");
    }

    [Test]
    public async Task Library_compile_then_scan_with_it_layers_a_schools_own_words()
    {
        using var folder = new TemporaryFolder("esafe-library");
        await File.WriteAllTextAsync(folder.Sub("library.txt"), "name: school\nversion: 1\n");
        await File.WriteAllTextAsync(folder.Sub("words.txt"), "category: bullying\nlanguage: en-GB\nsch-0001 | 3 | banana face |\n");

        var (compiled, _, compileErrors) = await RunAsync(["library", "compile", folder.Path, "-o", folder.Sub("school.eslib")], "");
        compiled.Should().Be(0, compileErrors);
        var (inspected, inspection, _) = await RunAsync(["library", "inspect", folder.Sub("school.eslib")], "");
        inspected.Should().Be(0);
        inspection.Should().Contain("school").And.Contain("entries:  1");

        var (exit, output, errors) = await RunAsync(["scan", "--library", folder.Sub("school.eslib")], "you b4n4n4 f4ce\n");
        exit.Should().Be(0, errors);
        output.Should().Contain("\"id\":\"sch-0001\"");
    }

    [Test]
    public async Task A_damaged_library_is_refused_with_a_clear_error()
    {
        using var folder = new TemporaryFolder("esafe-library");
        await File.WriteAllTextAsync(folder.Sub("bad.eslib"), "not a library");

        var (exit, _, errors) = await RunAsync(["scan", "--library", folder.Sub("bad.eslib")], "hello\n");

        exit.Should().Be(2);
        errors.Should().Contain("not a compiled eSafe library");
    }

    private static async Task<(int Exit, string Output, string Errors)> RunAsync(string[] arguments, string input)
    {
        var start = new ProcessStartInfo(RepositoryLayout.Require(RepositoryLayout.HostBinary, "run ./build.sh --target=Test (it publishes the host first)"))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await errors);
    }
}
