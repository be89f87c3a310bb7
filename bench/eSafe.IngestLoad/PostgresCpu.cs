using System.Globalization;

namespace eSafe.IngestLoad;

/// <summary>
/// The CPU time (user + system, from /proc) of the PostgreSQL cluster listening on a port: its postmaster and the
/// backends and background workers it started. A backend that has exited is no longer counted, so it is read while the
/// servers' connections stay open (pooled).
/// </summary>
public static class PostgresCpu
{
    public static TimeSpan Of(int port)
    {
        var processes = Directory.GetDirectories("/proc").Select(Path.GetFileName).Where(n => n!.All(char.IsAsciiDigit))
            .Select(n => Read(int.Parse(n!, CultureInfo.InvariantCulture))).OfType<Stat>().ToList();
        var postmaster = processes.FirstOrDefault(p => p.Command == "postgres" && p.CommandLine.Contains($"-p {port}", StringComparison.Ordinal));
        if (postmaster is null)
        {
            return TimeSpan.Zero;
        }

        var ticks = processes.Where(p => p.Pid == postmaster.Pid || p.ParentPid == postmaster.Pid).Sum(p => p.CpuTicks);
        return TimeSpan.FromSeconds(ticks / 100.0); // USER_HZ is 100 on Linux
    }

    private sealed record Stat(int Pid, int ParentPid, string Command, string CommandLine, long CpuTicks);

    private static Stat? Read(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var open = stat.IndexOf('(', StringComparison.Ordinal);
            var close = stat.LastIndexOf(')');
            var fields = stat[(close + 2)..].Split(' ');
            var commandLine = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
            // After the command: state, ppid, …; utime and stime are fields 14 and 15 of the whole line.
            return new Stat(pid, int.Parse(fields[1], CultureInfo.InvariantCulture), stat[(open + 1)..close], commandLine,
                long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}
