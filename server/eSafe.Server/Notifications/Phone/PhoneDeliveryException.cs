namespace eSafe.Server.Notifications.Phone;

/// <summary>
/// A call or text the provider did not take. Transient (provider error, busy, time-out, no connection): try again
/// later. Permanent (bad number, refused credentials, bad request): trying again cannot help. The message is fit
/// to show to analysts and never holds a credential.
/// </summary>
public sealed class PhoneDeliveryException : Exception
{
    public PhoneDeliveryException(string message, bool isPermanent)
        : base(message) => IsPermanent = isPermanent;

    public PhoneDeliveryException(string message, bool isPermanent, Exception? innerException)
        : base(message, innerException) => IsPermanent = isPermanent;

    public PhoneDeliveryException()
        : this("The phone alert could not be delivered.", isPermanent: false)
    {
    }

    public PhoneDeliveryException(string message)
        : this(message, isPermanent: false)
    {
    }

    public PhoneDeliveryException(string message, Exception innerException)
        : this(message, isPermanent: false, innerException)
    {
    }

    /// <summary>True when trying again cannot help (fix the number or the configuration first).</summary>
    public bool IsPermanent { get; }
}
