using System.Diagnostics;

namespace eSafe.EndToEnd.Tests.Support;

/// <summary>Runs the published host's own <c>install</c>, as an IT admin would.</summary>
public static class HostInstallation
{
    public const string StateVariable = "ESAFE_HOST_STATE_DIR";

    public static async Task<string> InstallAsync(string profileDirectory, string stateDirectory, Uri server, string enrolmentCode)
    {
        var binary = RepositoryLayout.Require(RepositoryLayout.HostBinary, "run ./build.sh --target=Test (it publishes the host first)");
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     "install", "--user-data-dir", profileDirectory, "--browser", "chromium",
                     "--server", server.ToString(), "--enrolment-code", enrolmentCode,
                 })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment[StateVariable] = stateDirectory;
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        process.ExitCode.Should().Be(0, $"install printed:\n{output}\n{errors}");
        return output + errors;
    }
}
