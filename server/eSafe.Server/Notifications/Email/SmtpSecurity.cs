namespace eSafe.Server.Notifications.Email;

/// <summary>How the connection to the mail server is protected.</summary>
public enum SmtpSecurity
{
    /// <summary>Plain connection upgraded with STARTTLS, which the server must offer (port 587). The default.</summary>
    StartTls,

    /// <summary>TLS from the first byte (implicit TLS, port 465).</summary>
    Tls,

    /// <summary>No encryption: only for a mail relay on this machine (localhost, 127.0.0.1, ::1).</summary>
    None,
}
