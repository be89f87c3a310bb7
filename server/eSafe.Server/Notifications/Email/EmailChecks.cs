namespace eSafe.Server.Notifications.Email;

/// <summary>A message must be well formed before any connection is made; every problem is named at once.</summary>
internal static class EmailChecks
{
    public static void Check(EmailMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var problems = new List<string>();
        if (message.To is null || message.To.Count == 0)
        {
            problems.Add("there is no recipient");
        }
        else if (message.To.Count > SmtpEmailSender.MaxRecipients)
        {
            problems.Add($"more than {SmtpEmailSender.MaxRecipients} recipients");
        }
        else
        {
            foreach (var recipient in message.To)
            {
                if (recipient is null || !SmtpOptions.IsPlainAddress(recipient.Address ?? ""))
                {
                    problems.Add($"'{recipient?.Address}' is not an email address");
                }
                else if (recipient.Name is null || recipient.Name.Length > 200 || recipient.Name.Any(char.IsControl))
                {
                    problems.Add($"the name for {recipient.Address} is not one short line");
                }
            }

            if (message.To.Where(r => r?.Address is not null).GroupBy(r => r.Address, StringComparer.OrdinalIgnoreCase).Any(g => g.Count() > 1))
            {
                problems.Add("a recipient is listed twice");
            }
        }

        if (string.IsNullOrWhiteSpace(message.Subject) || message.Subject.Length > 250 || message.Subject.Any(char.IsControl))
        {
            problems.Add("the subject must be one line of at most 250 characters");
        }

        if (message.TextBody is null)
        {
            problems.Add("the body is missing");
        }

        if (message.Attachments is null)
        {
            problems.Add("the list of attachments is missing");
        }
        else
        {
            long total = 0;
            foreach (var attachment in message.Attachments)
            {
                if (attachment?.FileName is null || attachment.FileName.Length is 0 or > 100
                    || attachment.FileName.Any(c => char.IsControl(c) || c is '/' or '\\' or '"'))
                {
                    problems.Add($"the attachment name '{attachment?.FileName}' is not a plain file name");
                }

                if (attachment?.ContentType is null || !MimeKit.ContentType.TryParse(attachment.ContentType, out _))
                {
                    problems.Add($"the attachment type '{attachment?.ContentType}' is not a MIME type");
                }

                total += attachment?.Content?.Length ?? 0;
            }

            if (total > SmtpEmailSender.MaxTotalAttachmentBytes)
            {
                problems.Add($"the attachments exceed {SmtpEmailSender.MaxTotalAttachmentBytes / (1024 * 1024)} MB");
            }
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("The email cannot be sent: " + string.Join("; ", problems) + ".", nameof(message));
        }
    }
}
