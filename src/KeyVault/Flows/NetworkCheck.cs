using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace KeyVault.Flows;

/// <summary>What the offline check needs to know about one network interface.</summary>
/// <param name="Name">The interface name (eth0, wlan0, …).</param>
/// <param name="IsLoopback">True for the loopback interface.</param>
/// <param name="Status">Up, Down, Unknown, …, as the operating system reports it.</param>
/// <param name="Addresses">Its unicast addresses.</param>
public sealed record InterfaceState(string Name, bool IsLoopback, OperationalStatus Status, IReadOnlyList<IPAddress> Addresses)
{
    /// <summary>Reads every interface of this machine.</summary>
    public static IReadOnlyList<InterfaceState> OfThisMachine() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Select(n => new InterfaceState(n.Name, n.NetworkInterfaceType == NetworkInterfaceType.Loopback, n.OperationalStatus,
                n.GetIPProperties().UnicastAddresses.Select(a => a.Address).ToList()))
            .ToList();
}

/// <summary>
/// Decides whether the machine is offline. An interface counts as a network connection when it is not loopback and
/// either reports Up, or reports Unknown (as tunnels and some virtual links always do) while holding an address that
/// is neither loopback nor link-local. A cable plugged in with no address yet is Up, and counts: the check is about
/// links, not about working routes.
/// </summary>
internal static class NetworkCheck
{
    /// <summary>The names of the interfaces that make the machine online, in the order given; empty when offline.</summary>
    public static IReadOnlyList<string> Connected(IEnumerable<InterfaceState> interfaces) =>
        interfaces.Where(IsConnected).Select(i => i.Name).ToList();

    private static bool IsConnected(InterfaceState i)
    {
        if (i.IsLoopback) return false;
        return i.Status switch
        {
            OperationalStatus.Up => true,
            OperationalStatus.Unknown => i.Addresses.Any(IsRoutable),
            _ => false,
        };
    }

    private static bool IsRoutable(IPAddress a) =>
        !IPAddress.IsLoopback(a) && !(a.AddressFamily == AddressFamily.InterNetworkV6 && a.IsIPv6LinkLocal)
        && !(a.AddressFamily == AddressFamily.InterNetwork && a.GetAddressBytes() is [169, 254, _, _]);
}
