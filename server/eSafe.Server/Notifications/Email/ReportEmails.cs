using eSafe.Server.Reports;
using static System.FormattableString;

namespace eSafe.Server.Notifications.Email;

/// <summary>
/// The emails that carry reports to a school's contact. The body names no pupil, quotes nothing a pupil wrote and
/// gives no address or category: all of that is inside the encrypted PDF, since email itself may travel in clear.
/// </summary>
public static class ReportEmails
{
    public const string PdfType = "application/pdf";

    /// <summary>"eSafe safeguarding report REF — School (severity N)", with "URGENT: " first when urgent.</summary>
    public static string ReportSubject(InterventionReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var subject = $"eSafe safeguarding report {OneLine(report.Reference)} — {OneLine(report.SchoolName)} (severity {report.Severity})";
        return report.Urgent ? "URGENT: " + subject : subject;
    }

    /// <summary>The email for one contact, with the report's PDF (from <see cref="ReportPdf.Render(InterventionReport, string)"/>) attached.</summary>
    public static EmailMessage Report(InterventionReport report, byte[] pdf, EmailRecipient contact)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(pdf);
        ArgumentNullException.ThrowIfNull(contact);
        var school = OneLine(report.SchoolName);
        var reference = OneLine(report.Reference);
        var urgent = report.Urgent
            ? "This concern is marked URGENT: please open the report now.\n\n"
            : "";
        var body =
            $"{Greeting(contact)}\n\n" +
            urgent +
            $"eSafe's analysts have reviewed a safeguarding concern at {school} and ask your school to act on it.\n\n" +
            $"Reference: {reference}\n" +
            $"Severity: {report.Severity} of 5 ({SeverityScale.Word(report.Severity)})\n\n" +
            $"The attached PDF holds the details. {PasswordNote}\n\n" +
            "The report identifies the pupil only by a pseudonymous user ID: match it to a pupil from your school's own records. " +
            "Please record what the school did in the eSafe console, quoting the reference.\n\n" +
            Closing;
        return new EmailMessage([contact], ReportSubject(report), body, [new EmailAttachment(ReportFileName(reference), PdfType, pdf)]);
    }

    /// <summary>"eSafe weekly summary 2026-06-15 to 2026-06-21 — School (3 concerns)".</summary>
    public static string WeeklySubject(WeeklySummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return Invariant($"eSafe weekly summary {summary.From:yyyy-MM-dd} to {summary.To:yyyy-MM-dd} — {OneLine(summary.SchoolName)} ") +
            $"({WeeklySummaryPdf.Count(summary.Items.Count)})";
    }

    /// <summary>The weekly summary email for one contact, with its PDF (from <see cref="WeeklySummaryPdf.Render(WeeklySummary, string)"/>) attached.</summary>
    public static EmailMessage Weekly(WeeklySummary summary, byte[] pdf, EmailRecipient contact)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(pdf);
        ArgumentNullException.ThrowIfNull(contact);
        var school = OneLine(summary.SchoolName);
        var what = summary.Items.Count == 0
            ? Invariant($"No lower-level concerns were recorded for {school} in the week from {summary.From:d MMMM} to {summary.To:d MMMM yyyy}.")
            : Invariant($"Here is the week's summary of lower-level concerns at {school} ({WeeklySummaryPdf.Count(summary.Items.Count)}, ") +
              Invariant($"{summary.From:d MMMM} to {summary.To:d MMMM yyyy}). None needed immediate action; together they may show a pattern worth a conversation.");
        var body =
            $"{Greeting(contact)}\n\n" +
            $"{what}\n\n" +
            $"The attached PDF holds the details. {PasswordNote}\n\n" +
            Closing;
        return new EmailMessage([contact], WeeklySubject(summary), body,
            [new EmailAttachment(Invariant($"esafe-weekly-{summary.From:yyyy-MM-dd}.pdf"), PdfType, pdf)]);
    }

    /// <summary>"esafe-report-REF.pdf", with anything but letters, digits and '-' left out of the reference.</summary>
    public static string ReportFileName(string reference)
    {
        var safe = new string(reference.Where(c => char.IsAsciiLetterOrDigit(c) || c == '-').Take(60).ToArray());
        return $"esafe-report-{(safe.Length == 0 ? "incident" : safe)}.pdf";
    }

    private const string PasswordNote =
        "It is encrypted: open it with your school's eSafe report password, the one agreed with eSafe when your school joined. " +
        "eSafe never sends that password by email; if you do not have it, ask your designated safeguarding lead.";

    private const string Closing =
        "This email and its attachment are confidential. If it reached you by mistake, please delete it and tell eSafe.\n\n" +
        "eSafe safeguarding service";

    private static string Greeting(EmailRecipient contact) =>
        string.IsNullOrWhiteSpace(contact.Name) ? "Hello," : $"Dear {OneLine(contact.Name)},";

    private static string OneLine(string text) =>
        string.Join(' ', (text ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).Trim();
}
