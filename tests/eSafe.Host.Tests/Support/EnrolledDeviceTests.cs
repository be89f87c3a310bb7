using eSafe.Host.Delivery;

namespace eSafe.Host.Tests.Support;

/// <summary>Tests that each need a fresh enrolled device: its state folder, its enrolment and its outbox, removed after.</summary>
public abstract class EnrolledDeviceTests
{
    private protected TemporaryFolder Folder { get; private set; } = null!;

    private protected TestEnrolment Enrolment { get; private set; } = null!;

    private protected FileOutbox Outbox { get; private set; } = null!;

    [SetUp]
    public void MakeDevice()
    {
        Folder = new TemporaryFolder();
        Enrolment = new TestEnrolment();
        Outbox = new FileOutbox(Folder.Sub("outbox"));
    }

    [TearDown]
    public void RemoveDevice()
    {
        Outbox.Dispose();
        Enrolment.Dispose();
        Folder.Dispose();
    }
}
