using System.Security.Cryptography;
using eSafe.Host.Configuration;

namespace eSafe.Host.Tests.Support;

/// <summary>An enrolment as the server would hand it out, with the server's private key kept to open incidents.</summary>
internal sealed class TestEnrolment : IDisposable
{
    public const string SchoolId = "school-7";
    public const string DeviceId = "device-42";
    public const string KeyId = "k1";

    public TestEnrolment()
    {
        ServerKey = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        UserIdKey = RandomNumberGenerator.GetBytes(32);
        State = new EnrolmentState(new Uri("https://esafe.example.org/"), SchoolId, DeviceId, "device-token", KeyId,
            ServerKey.ExportSubjectPublicKeyInfo());
    }

    public ECDiffieHellman ServerKey { get; }

    /// <summary>The school's key, as its admin would install it (the server never has it).</summary>
    public byte[] UserIdKey { get; }

    public EnrolmentState State { get; }

    public void Dispose() => ServerKey.Dispose();
}
