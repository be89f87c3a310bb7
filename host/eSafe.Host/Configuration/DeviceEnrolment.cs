using eSafe.Contracts.Http;
using eSafe.Host.Delivery;

namespace eSafe.Host.Configuration;

/// <summary>Joins this device to its school with the enrolment code, once, and keeps what the server answers.</summary>
public static class DeviceEnrolment
{
    /// <summary>The saved enrolment for this server, enrolling first when there is none.</summary>
    public static async Task<EnrolmentState> EnsureAsync(HostPaths paths, HostConfig config, string hostVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(config);
        var saved = StateFiles.Read(paths.EnrolmentFile, HostJson.Default.EnrolmentState);
        if (saved is not null && saved.ServerUrl == config.ServerUrl)
        {
            return saved;
        }

        // install --system enrolled the machine: every user's host reports as that device.
        var machine = ReadMachineEnrolment(paths);
        if (machine is not null && machine.ServerUrl == config.ServerUrl)
        {
            return machine;
        }

        if (string.IsNullOrWhiteSpace(config.EnrolmentCode))
        {
            throw new InvalidOperationException("this device is not enrolled and has no enrolment code: run esafe-host install --enrolment-code CODE");
        }

        using var client = new DeviceApiClient(config.ServerUrl, EnrolmentPins(config));
        var answer = await client.Api.EnrolAsync(
            new EnrolmentRequest(config.EnrolmentCode, Environment.MachineName, hostVersion), cancellationToken);
        var state = new EnrolmentState(config.ServerUrl, answer.SchoolId, answer.DeviceId, answer.DeviceToken,
            answer.ServerKey.KeyId, answer.ServerKey.PublicKey);
        StateFiles.Write(paths.EnrolmentFile, state, HostJson.Default.EnrolmentState);
        ForgetEnrolmentCode(paths);
        return state;
    }

    /// <summary>
    /// install --system: enrols the machine once and keeps the answer beside the machine's settings (mode 640 for
    /// <paramref name="group"/>), then removes the enrolment code from them: it is needed no more, and a copy of the
    /// folder cannot enrol another device.
    /// </summary>
    public static async Task<EnrolmentState> EnrolMachineAsync(HostPaths paths, HostConfig config, string hostVersion, string? group,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(config);
        if (string.IsNullOrWhiteSpace(config.EnrolmentCode))
        {
            throw new InvalidOperationException("no enrolment code to enrol the machine with");
        }

        using var client = new DeviceApiClient(config.ServerUrl, EnrolmentPins(config));
        var answer = await client.Api.EnrolAsync(
            new EnrolmentRequest(config.EnrolmentCode, Environment.MachineName, hostVersion), cancellationToken);
        var state = new EnrolmentState(config.ServerUrl, answer.SchoolId, answer.DeviceId, answer.DeviceToken,
            answer.ServerKey.KeyId, answer.ServerKey.PublicKey);
        StateFiles.WriteForGroup(paths.MachineEnrolmentFile, state, HostJson.Default.EnrolmentState, group);
        StateFiles.WriteForGroup(paths.MachineConfigFile, config with { EnrolmentCode = null }, HostJson.Default.HostConfig, group);
        return state;
    }

    // The install's pins and those Chrome policy sets: a connection failing them never carries the code.
    private static IReadOnlyList<byte[]> EnrolmentPins(HostConfig config) =>
        ChromePolicyPins.WithPolicyPins(config, ChromePolicyPins.ReadMachinePolicy()).Pins();

    /// <summary>The machine's enrolment from install --system, or null (none, or not readable by this user).</summary>
    public static EnrolmentState? ReadMachineEnrolment(HostPaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        try
        {
            return StateFiles.Read(paths.MachineEnrolmentFile, HostJson.Default.EnrolmentState);
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// Once enrolled, the user's own settings drop the enrolment code: a copy of the folder then cannot enrol
    /// another device. (The machine-wide settings of install --system are not the user's to change.)
    /// </summary>
    public static void ForgetEnrolmentCode(HostPaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var own = StateFiles.Read(paths.ConfigFile, HostJson.Default.HostConfig);
        var enrolled = StateFiles.Read(paths.EnrolmentFile, HostJson.Default.EnrolmentState);
        if (own?.EnrolmentCode is not null && enrolled is not null && enrolled.ServerUrl == own.ServerUrl)
        {
            StateFiles.Write(paths.ConfigFile, own with { EnrolmentCode = null }, HostJson.Default.HostConfig);
        }
    }

    /// <summary>The user's config, else the machine's (from install --system), else null.</summary>
    public static HostConfig? ReadConfig(HostPaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        return StateFiles.Read(paths.ConfigFile, HostJson.Default.HostConfig)
            ?? StateFiles.Read(paths.MachineConfigFile, HostJson.Default.HostConfig);
    }
}
