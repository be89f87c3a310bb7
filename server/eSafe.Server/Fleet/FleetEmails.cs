using System.Globalization;
using eSafe.Contracts.Http;
using eSafe.Server.Notifications.Email;

namespace eSafe.Server.Fleet;

/// <summary>The email telling a school's IT contact of a device flag: what, which machine, since when, and what to check.</summary>
public static class FleetEmails
{
    public static EmailMessage Alert(FleetAlert alert, double silentHours, EmailRecipient contact)
    {
        ArgumentNullException.ThrowIfNull(contact);
        var (subject, what) = Describe(alert, silentHours);
        var body =
            (string.IsNullOrWhiteSpace(contact.Name) ? "Hello," : $"Dear {OneLine(contact.Name)},") + "\n\n" +
            what + "\n\n" +
            $"Device ID: {alert.DeviceId}\n" +
            "This email is sent once for each time a device is flagged; eSafe's analysts see the same flag in their console.\n\n" +
            "eSafe safeguarding service";
        return new EmailMessage([contact], subject, body, []);
    }

    /// <summary>The same alert for eSafe's analysts: the school named, and where in the console to acknowledge it.</summary>
    public static EmailMessage ForAnalysts(FleetAlert alert, double silentHours, IReadOnlyList<EmailRecipient> analysts)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var (subject, what) = Describe(alert, silentHours);
        var body =
            $"Device alert at {OneLine(alert.SchoolName)} (school ID {alert.SchoolId}).\n\n" +
            what + "\n\n" +
            $"Device ID: {alert.DeviceId}\n" +
            "The school's IT contact has been emailed too. Acknowledge the alert in the console (the device alerts above every view, or " +
            "Devices) so that the team knows it is being followed up.\n\n" +
            "eSafe fleet health";
        return new EmailMessage(analysts, "[analysts] " + subject, body, []);
    }

    private static (string Subject, string What) Describe(FleetAlert alert, double silentHours)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var machine = OneLine(alert.MachineName);
        var school = OneLine(alert.SchoolName);
        var since = alert.Since.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        var hours = silentHours.ToString("0.#", CultureInfo.InvariantCulture);
        return alert.Flag == FleetFlags.HostMissing
            ? ($"eSafe: {machine} is running without its host — {school}",
                $"The eSafe extension on {machine} has reported since {since} that its native host does not answer. On a school PC " +
                "this can mean the host was removed or blocked, which is a sign of tampering: monitoring there now depends on the " +
                "extension alone. Please check the machine and reinstall the host (esafe-host install).")
            : ($"eSafe: {machine} has been silent for {hours} hours of school time — {school}",
                $"eSafe has heard nothing from {machine} since {since}: {hours} hours of " +
                "school time. It may be switched off, off the network, or its extension or host may have been disabled. Please check it.");
    }

    private static string OneLine(string text) =>
        string.Join(' ', (text ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).Trim();
}
