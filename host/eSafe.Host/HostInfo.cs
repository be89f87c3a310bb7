using System.Reflection;

namespace eSafe.Host;

public static class HostInfo
{
    /// <summary>The host's version, as built (without the source revision the SDK appends).</summary>
    public static string Version { get; } =
        (typeof(HostInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0")
        .Split('+')[0];
}
