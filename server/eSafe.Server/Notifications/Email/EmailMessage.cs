namespace eSafe.Server.Notifications.Email;

/// <summary>One email as eSafe sends it: plain text, to the recipients named and nobody else, with attachments.</summary>
public sealed record EmailMessage(IReadOnlyList<EmailRecipient> To, string Subject, string TextBody, IReadOnlyList<EmailAttachment> Attachments);

public sealed record EmailRecipient(string Name, string Address);

public sealed record EmailAttachment(string FileName, string ContentType, byte[] Content);
