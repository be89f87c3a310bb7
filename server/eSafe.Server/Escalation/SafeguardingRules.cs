using System.Net.Mail;
using eSafe.Contracts.Http;
using eSafe.Detection;

namespace eSafe.Server.Escalation;

/// <summary>What makes a contact and a protocol valid; every problem is named by its field.</summary>
public static class SafeguardingRules
{
    public const int MaxContacts = 20;
    public const int MaxMinutes = 14 * 24 * 60;

    public static bool IsContactId(string? id) =>
        id is { Length: > 0 and <= 32 } && id.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');

    /// <summary>A phone number in international form: '+' and 8 to 15 digits.</summary>
    public static bool IsPhoneNumber(string? phone) =>
        phone is { Length: >= 9 and <= 16 } && phone[0] == '+' && phone[1] != '0' && phone[1..].All(char.IsAsciiDigit);

    public static Dictionary<string, string[]> ContactProblems(string id, ContactRequest contact)
    {
        ArgumentNullException.ThrowIfNull(contact);
        var problems = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!IsContactId(id))
        {
            problems["id"] = ["A contact's ID is 1 to 32 lower-case letters, digits and '-'."];
        }

        if (string.IsNullOrWhiteSpace(contact.Name) || contact.Name.Trim().Length > 120 || contact.Name.Any(char.IsControl))
        {
            problems["name"] = ["A name of 1 to 120 characters is needed."];
        }

        if (!ContactRoles.IsKnown(contact.Role))
        {
            problems["role"] = [$"The role must be one of {string.Join(", ", ContactRoles.All)}."];
        }

        if (contact.Phone is { Length: > 0 } phone && !IsPhoneNumber(phone))
        {
            problems["phone"] = ["A phone number is written in international form, e.g. +447700900123."];
        }

        if (contact.Email is { Length: > 0 } email && !IsEmail(email))
        {
            problems["email"] = ["This is not an email address."];
        }

        if (string.IsNullOrEmpty(contact.Phone) && string.IsNullOrEmpty(contact.Email))
        {
            problems["phone"] = [.. problems.GetValueOrDefault("phone") ?? [], "A contact needs a phone number, an email address or both."];
        }

        if (contact.Order is < 1 or > 99)
        {
            problems["order"] = ["The order is a whole number from 1 (called first) to 99."];
        }

        return problems;
    }

    public static Dictionary<string, string[]> ProtocolProblems(Protocol protocol)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        var problems = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var rules = protocol.Rules ?? [];
        for (var severity = ThreatEntry.MinSeverity; severity <= ThreatEntry.MaxSeverity; severity++)
        {
            var matching = rules.Where(r => r?.Severity == severity).ToList();
            var key = $"rules[{severity}]";
            if (matching.Count != 1)
            {
                problems[key] = [$"The protocol needs exactly one rule for severity {severity}."];
                continue;
            }

            var rule = matching[0];
            var ruleProblems = new List<string>();
            var roles = rule.Roles ?? [];
            if (roles.Count == 0 || roles.Any(r => !ContactRoles.IsKnown(r)) || roles.Distinct(StringComparer.Ordinal).Count() != roles.Count)
            {
                ruleProblems.Add($"Name one or more different roles from {string.Join(", ", ContactRoles.All)}.");
            }

            if (!rule.Phone && !rule.Email && !rule.Weekly)
            {
                ruleProblems.Add("Choose how they are told: phone, email or the weekly summary.");
            }

            if (rule.Weekly && (rule.Phone || rule.Email))
            {
                ruleProblems.Add("The weekly summary is for concerns that need no immediate action: not with phone or email.");
            }

            if (severity == ThreatEntry.MaxSeverity && !rule.Phone)
            {
                ruleProblems.Add("Severity 5 (immediate risk or illegal) must ring someone: phone is required.");
            }

            if (rule.WithinMinutes is < 1 or > MaxMinutes)
            {
                ruleProblems.Add($"'Within' is a number of minutes from 1 to {MaxMinutes}.");
            }

            if (ruleProblems.Count > 0)
            {
                problems[key] = [.. ruleProblems];
            }
        }

        if (rules.Any(r => r is null || r.Severity is < ThreatEntry.MinSeverity or > ThreatEntry.MaxSeverity))
        {
            problems["rules"] = ["Rules are for severities 1 to 5."];
        }

        if (protocol.CallNextAfterMinutes is < 1 or > 120)
        {
            problems["callNextAfterMinutes"] = ["Calls move to the next contact after 1 to 120 minutes without acknowledgement."];
        }

        return problems;
    }

    /// <summary>The contacts a rule tells, in escalation order: by the rule's order of roles, then each contact's order.</summary>
    public static IReadOnlyList<Contact> ContactsFor(ProtocolRule rule, IEnumerable<Contact> contacts)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return [.. contacts.Where(c => rule.Roles.Contains(c.Role))
            .OrderBy(c => IndexOf(rule.Roles, c.Role)).ThenBy(c => c.Order).ThenBy(c => c.Id, StringComparer.Ordinal)];
    }

    private static int IndexOf(IReadOnlyList<string> roles, string role)
    {
        for (var i = 0; i < roles.Count; i++)
        {
            if (roles[i] == role)
            {
                return i;
            }
        }

        return roles.Count;
    }

    private static bool IsEmail(string email) =>
        email.Length <= 254 && !email.Any(c => char.IsControl(c) || char.IsWhiteSpace(c))
        && MailAddress.TryCreate(email, out var parsed) && parsed.Address == email && parsed.Host.Contains('.', StringComparison.Ordinal);
}
