namespace eSafe.Server.Security;

/// <summary>The data folder cannot be used as it is; the message says what to do. The CLI prints it and exits.</summary>
public sealed class ServerSetupException : Exception
{
    public ServerSetupException()
    {
    }

    public ServerSetupException(string message) : base(message)
    {
    }

    public ServerSetupException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
