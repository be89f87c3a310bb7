namespace eSafe.Server.Direct;

internal static partial class DirectLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "Storing Chromebook incidents whose screenshot did not come failed: {Reason}")]
    public static partial void SweepFailed(ILogger logger, string reason);
}
