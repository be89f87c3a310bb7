using System.Diagnostics;

namespace eSafe.Host.Tests.Support;

/// <summary>
/// A small tmpfs mounted for one test, so that "disk full" is the kernel's own ENOSPC. Needs root and a
/// mount the container allows; otherwise the test is skipped with the reason.
/// </summary>
internal sealed class TinyDisk : IDisposable
{
    private TinyDisk(string path) => Path = path;

    public string Path { get; }

    public static TinyDisk Mount(int kilobytes)
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Ignore("a tmpfs mount needs Linux");
        }

        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "esafe-tiny-disk-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        var (exit, errors) = Run("mount", "-t", "tmpfs", "-o", $"size={kilobytes}k", "tmpfs", path);
        if (exit != 0)
        {
            Directory.Delete(path);
            Assert.Ignore($"cannot mount a tmpfs here (needs root and a mount the sandbox allows): {errors.Trim()}");
        }

        return new TinyDisk(path);
    }

    public string Sub(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Fills what is left with one file; deleting it gives the space back.</summary>
    public string Fill()
    {
        var filler = Sub("filler");
        using var stream = new FileStream(filler, FileMode.Create);
        var block = new byte[4096];
        try
        {
            while (true)
            {
                stream.Write(block);
                stream.Flush(flushToDisk: true);
            }
        }
        catch (IOException)
        {
            // Full.
        }

        return filler;
    }

    public void Dispose()
    {
        Run("umount", Path);
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static (int Exit, string Errors) Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start)!;
            var errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, errors);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }
}
