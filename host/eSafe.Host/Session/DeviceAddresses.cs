using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace eSafe.Host.Session;

/// <summary>The machine's own IP addresses, as a school's network team would look them up.</summary>
public static class DeviceAddresses
{
    public static IReadOnlyList<string> Current()
    {
        try
        {
            return [.. NetworkInterface.GetAllNetworkInterfaces()
                .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
                .SelectMany(n => n.GetIPProperties().UnicastAddresses)
                .Select(a => a.Address)
                .Where(a => a.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6 && !a.IsIPv6LinkLocal)
                .Select(a => a.ToString())
                .Distinct()
                .Take(32)];
        }
        catch (NetworkInformationException)
        {
            return [];
        }
    }
}
