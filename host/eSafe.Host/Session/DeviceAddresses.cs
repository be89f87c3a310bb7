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
            var up = NetworkInterface.GetAllNetworkInterfaces().Where(n => n.OperationalStatus == OperationalStatus.Up).ToList();
            var external = Addresses(up.Where(n => n.NetworkInterfaceType != NetworkInterfaceType.Loopback));
            // A machine with no network but loopback (a server's own test device) still says what it has.
            return external.Count > 0 ? external : Addresses(up);
        }
        catch (NetworkInformationException)
        {
            return [];
        }
    }

    private static List<string> Addresses(IEnumerable<NetworkInterface> interfaces) =>
    [
        .. interfaces
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .Where(a => a.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6 && !a.IsIPv6LinkLocal)
            .Select(a => a.ToString())
            .Distinct()
            .Take(32),
    ];
}
