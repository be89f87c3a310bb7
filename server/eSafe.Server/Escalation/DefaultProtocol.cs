using eSafe.Contracts.Http;

namespace eSafe.Server.Escalation;

/// <summary>
/// The protocol a school starts with (docs/ESCALATION.md): immediate risk rings the DSL, deputy and head in turn until one
/// acknowledges, and emails them the report; risk of harm is emailed within the hour; lower concerns wait for the weekly summary.
/// </summary>
public static class DefaultProtocol
{
    public static Protocol Value { get; } = new(
    [
        new ProtocolRule(1, [ContactRoles.Dsl], Phone: false, Email: false, Weekly: true, WithinMinutes: 7 * 24 * 60),
        new ProtocolRule(2, [ContactRoles.Dsl], Phone: false, Email: false, Weekly: true, WithinMinutes: 7 * 24 * 60),
        new ProtocolRule(3, [ContactRoles.Dsl, ContactRoles.DeputyDsl], Phone: false, Email: true, Weekly: false, WithinMinutes: 24 * 60),
        new ProtocolRule(4, [ContactRoles.Dsl, ContactRoles.DeputyDsl], Phone: false, Email: true, Weekly: false, WithinMinutes: 60),
        new ProtocolRule(5, [ContactRoles.Dsl, ContactRoles.DeputyDsl, ContactRoles.Head], Phone: true, Email: true, Weekly: false, WithinMinutes: 15),
    ], CallNextAfterMinutes: 10);

    /// <summary>The rule for a severity (a valid protocol has one for each of 1–5).</summary>
    public static ProtocolRule RuleFor(this Protocol protocol, int severity)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        return protocol.Rules.FirstOrDefault(r => r.Severity == severity) ?? Value.Rules.First(r => r.Severity == severity);
    }
}
