namespace eSafe.Host.Configuration;

/// <summary>
/// Where the host keeps things. The state folder (config, enrolment, outbox, log) belongs to the user the
/// browser runs as; <c>ESAFE_HOST_STATE_DIR</c> overrides it (Chrome passes its environment to the host).
/// A machine-wide config written by <c>install --system</c> is read when the user has none.
/// </summary>
public sealed record HostPaths(string StateDirectory, string MachineConfigDirectory)
{
    public const string StateDirectoryVariable = "ESAFE_HOST_STATE_DIR";

    public string ConfigFile => Path.Combine(StateDirectory, "host.json");
    public string MachineConfigFile => Path.Combine(MachineConfigDirectory, "host.json");
    public string EnrolmentFile => Path.Combine(StateDirectory, "enrolment.json");

    /// <summary>The machine's enrolment, made by <c>install --system</c>: every user's host reports as this one device.</summary>
    public string MachineEnrolmentFile => Path.Combine(MachineConfigDirectory, "enrolment.json");
    public string OutboxDirectory => Path.Combine(StateDirectory, "outbox");
    public string LogFile => Path.Combine(StateDirectory, "host.log");

    /// <summary>The libraries last downloaded from the server (global and the school's layer).</summary>
    public string LibraryDirectory => Path.Combine(StateDirectory, "libraries");

    /// <summary>Hashes of recent hits, so that the next host process recognises a resent event.</summary>
    public string RepeatFile => Path.Combine(StateDirectory, "repeats.bin");

    /// <summary>This install's secret for the hashes in <see cref="RepeatFile"/>.</summary>
    public string RepeatKeyFile => Path.Combine(StateDirectory, "repeats.key");

    public static HostPaths ForCurrentUser()
    {
        var overridden = Environment.GetEnvironmentVariable(StateDirectoryVariable);
        return new HostPaths(
            string.IsNullOrWhiteSpace(overridden) ? DefaultStateDirectory() : Path.GetFullPath(overridden),
            DefaultMachineDirectory());
    }

    private static string DefaultStateDirectory()
    {
        if (OperatingSystem.IsWindows())
        {
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "eSafe");
        }

        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (OperatingSystem.IsMacOS())
        {
            return Path.Combine(home, "Library", "Application Support", "eSafe");
        }

        var xdg = Environment.GetEnvironmentVariable("XDG_STATE_HOME");
        return Path.Combine(string.IsNullOrEmpty(xdg) ? Path.Combine(home, ".local", "state") : xdg, "esafe");
    }

    private static string DefaultMachineDirectory() =>
        OperatingSystem.IsWindows()
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.CommonApplicationData), "eSafe")
            : OperatingSystem.IsMacOS() ? "/Library/Application Support/eSafe" : "/etc/esafe";
}
