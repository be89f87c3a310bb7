using System.Diagnostics;

namespace eSafe.EndToEnd.Tests.Support;

/// <summary>
/// Another account on this machine, as a thin client's second pupil is: the unprivileged <c>nobody</c>, entered
/// with util-linux's <c>setpriv</c> (which execs in place, so a browser keeps Playwright's pipes). Needs root, as CI has.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public static class OsUser
{
    public const string Name = "nobody";
    private const string Setpriv = "/usr/bin/setpriv";

    /// <summary>Why this machine cannot run a second account's processes, or null when it can.</summary>
    public static string? Unavailable() =>
        !OperatingSystem.IsLinux() ? "Linux only"
        : Environment.UserName != "root" ? "needs root to start processes as another account (CI runs as root)"
        : !File.Exists(Setpriv) ? "needs util-linux's setpriv"
        : null;

    /// <summary>A script that starts <paramref name="program"/> as <see cref="Name"/> (for Playwright's <c>ExecutablePath</c>).</summary>
    public static string Wrapper(string scriptPath, string program)
    {
        File.WriteAllText(scriptPath, $"#!/bin/sh\nexec {Setpriv} --reuid={Name} --regid=nogroup --clear-groups -- {program} \"$@\"\n");
        File.SetUnixFileMode(scriptPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return scriptPath;
    }

    /// <summary>Makes folders (or files) the account's own.</summary>
    public static async Task GiveAsync(params string[] paths)
    {
        await RunAsync("chown", ["-R", $"{Name}:nogroup", .. paths], asOther: false, environment: null);
    }

    /// <summary>Runs a program as this account (or as the test's own account) with this environment; fails the test on a non-zero exit.</summary>
    public static async Task<string> RunAsync(string program, IReadOnlyList<string> arguments, bool asOther,
        IReadOnlyDictionary<string, string>? environment)
    {
        var start = new ProcessStartInfo(asOther ? Setpriv : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asOther)
        {
            foreach (var argument in new[] { $"--reuid={Name}", "--regid=nogroup", "--clear-groups", "--", program })
            {
                start.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        process.ExitCode.Should().Be(0, $"{program} {string.Join(' ', arguments)} printed:\n{await output}\n{await errors}");
        return await output + await errors;
    }
}
