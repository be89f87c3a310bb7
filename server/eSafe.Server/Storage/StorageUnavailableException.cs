namespace eSafe.Server.Storage;

/// <summary>The store cannot read or write just now (a full disk, say); the request may be tried again later (503).</summary>
public sealed class StorageUnavailableException : Exception
{
    public StorageUnavailableException()
    {
    }

    public StorageUnavailableException(string message) : base(message)
    {
    }

    public StorageUnavailableException(string message, Exception? innerException) : base(message, innerException)
    {
    }
}
