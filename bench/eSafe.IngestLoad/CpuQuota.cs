using System.Globalization;

namespace eSafe.IngestLoad;

/// <summary>
/// Holds one server process to a share of a core (<c>ESAFE_BENCH_SERVER_CPUS</c>, e.g. 0.5), each in a cgroup (v1 <c>cpu</c>
/// controller, as root) of its own: on a machine with few cores this makes the server's CPU the limit, so that what a second
/// process adds can be seen, as it would be on machines of their own. Unset, nothing is limited.
/// </summary>
public sealed class CpuQuota : IDisposable
{
    public const string Setting = "ESAFE_BENCH_SERVER_CPUS";
    private const string Root = "/sys/fs/cgroup/cpu";
    private const int PeriodMicroseconds = 100_000;
    private readonly string _group;

    private CpuQuota(string group) => _group = group;

    /// <summary>The share of a core each server may use, or null when unlimited.</summary>
    public static double? Cpus => Environment.GetEnvironmentVariable(Setting) is { Length: > 0 } text
        ? double.Parse(text, CultureInfo.InvariantCulture) is var cpus and > 0 ? cpus : throw new InvalidOperationException($"{Setting} must be above 0.")
        : null;

    /// <summary>Moves the process (all its threads, and the children it starts later) into a new group with the quota.</summary>
    public static CpuQuota? Apply(int processId)
    {
        if (Cpus is not { } cpus)
        {
            return null;
        }

        if (!Directory.Exists(Root))
        {
            throw new InvalidOperationException($"{Setting} needs the cgroup v1 cpu controller at {Root}, writable (run as root).");
        }

        var group = Path.Combine(Root, "esafe-bench-" + processId.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(group);
        File.WriteAllText(Path.Combine(group, "cpu.cfs_period_us"), PeriodMicroseconds.ToString(CultureInfo.InvariantCulture));
        File.WriteAllText(Path.Combine(group, "cpu.cfs_quota_us"), ((int)(PeriodMicroseconds * cpus)).ToString(CultureInfo.InvariantCulture));
        File.WriteAllText(Path.Combine(group, "cgroup.procs"), processId.ToString(CultureInfo.InvariantCulture));
        return new CpuQuota(group);
    }

    /// <summary>Removes the group (once its process has exited, as a group with members cannot be removed).</summary>
    public void Dispose()
    {
        try
        {
            Directory.Delete(_group);
        }
        catch (IOException)
        {
            // Still holding a process that has not quite gone: the kernel keeps an empty group harmlessly until reboot.
        }
    }
}
