namespace eSafe.Server.Notifications.Email;

/// <summary>
/// An email was not accepted. The message is written for analysts (it names the server and what it said, never a
/// password). <see cref="IsPermanent"/>: the same send will fail again until someone changes the settings or the
/// address (5xx refusals, a refused login, a certificate not trusted, no STARTTLS); otherwise retry later
/// (connection failures, time-outs, 4xx answers).
/// </summary>
public sealed class EmailDeliveryException : Exception
{
    public EmailDeliveryException()
    {
    }

    public EmailDeliveryException(string message) : base(message)
    {
    }

    public EmailDeliveryException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public EmailDeliveryException(string message, bool isPermanent, Exception? innerException = null) : base(message, innerException)
    {
        IsPermanent = isPermanent;
    }

    public bool IsPermanent { get; }
}
