namespace eSafe.Server.Notifications.Email;

/// <summary>Sends email. A send either reaches the mail server whole or throws <see cref="EmailDeliveryException"/>.</summary>
public interface IEmailSender
{
    /// <exception cref="EmailDeliveryException">The mail server could not be reached or refused the message; <see cref="EmailDeliveryException.IsPermanent"/> says whether trying again can help.</exception>
    /// <exception cref="ArgumentException">The message itself is malformed (a caller's mistake, never retried).</exception>
    Task SendAsync(EmailMessage message, CancellationToken cancellationToken);
}
