using System.Diagnostics;

namespace eSafe.EndToEnd.Tests.Support;

/// <summary>Runs the published host's own commands (<c>install</c>, <c>status</c>), as an IT admin would.</summary>
public static class HostInstallation
{
    public const string StateVariable = "ESAFE_HOST_STATE_DIR";

    /// <summary>Installs with a school key of its own made by <c>school-key new</c> in the state folder's parent (as a school's admin keeps it apart from the server); returns the output.</summary>
    /// <param name="extensionId">The extension the host answers (default: the one the manifest's key fixes).</param>
    public static async Task<string> InstallAsync(string profileDirectory, string stateDirectory, Uri server, string enrolmentCode,
        string? extensionId = null)
    {
        var keyFile = SchoolKeyFileFor(stateDirectory);
        if (!File.Exists(keyFile))
        {
            await RunAsync(stateDirectory, "school-key", "new", "--output", keyFile);
        }

        string[] install = ["install", "--user-data-dir", profileDirectory, "--browser", "chromium",
            "--server", server.ToString(), "--enrolment-code", enrolmentCode, "--user-id-key-file", keyFile];
        return await RunAsync(stateDirectory, extensionId is null ? install : [.. install, "--extension-id", extensionId]);
    }

    /// <summary>Where <see cref="InstallAsync"/> keeps the school's key for this state folder.</summary>
    public static string SchoolKeyFileFor(string stateDirectory) => Path.GetFullPath(stateDirectory).TrimEnd('/') + ".school.key";

    /// <summary>Runs any of the host's commands with this state folder; fails the test on a non-zero exit.</summary>
    public static Task<string> RunCommandAsync(string stateDirectory, params string[] arguments) => RunAsync(stateDirectory, arguments);

    /// <summary>What <c>esafe-host status</c> prints for this state folder.</summary>
    public static Task<string> StatusAsync(string stateDirectory) => RunAsync(stateDirectory, "status");

    private static async Task<string> RunAsync(string stateDirectory, params string[] arguments)
    {
        var binary = RepositoryLayout.Require(RepositoryLayout.HostBinary, "run ./build.sh --target=Test (it publishes the host first)");
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment[StateVariable] = stateDirectory;
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        process.ExitCode.Should().Be(0, $"esafe-host {arguments[0]} printed:\n{output}\n{errors}");
        return output + errors;
    }
}
