using eSafe.Server.Live;

namespace eSafe.Server.Tests.Live;

/// <summary>What crosses between processes in a NOTIFY: written by one, read back by every other; anything else is ignored.</summary>
public sealed class LiveChangePayloadTests
{
    private static readonly LiveChange[] Changes =
    [
        new("sch-abc", ChangeKinds.Incident, "01JZ0000000000000000000000"),
        new("sch-abc", ChangeKinds.Decision, "01JZ0000000000000000000001"),
        new("sch:with:colons", ChangeKinds.Alert, null),
    ];

    [TestCaseSource(nameof(Changes))]
    public void A_change_reads_back_as_written(LiveChange change) =>
        LiveChange.FromPayload(change.ToPayload()).Should().Be(change);

    [TestCase(null)]
    [TestCase("")]
    [TestCase("sch-abc")]
    [TestCase("sch-abc:incident")]
    [TestCase(":incident:")]
    [TestCase("sch-abc:deleted-everything:")]
    [TestCase("sch-abc:incident:not-an-incident-id")]
    [TestCase("sch-abc\n:incident:")]
    [TestCase("sch-0123456789012345678901234567890123456789012345678901234567890123:incident:")]
    public void Anything_else_is_ignored(string? payload) => LiveChange.FromPayload(payload).Should().BeNull();
}
