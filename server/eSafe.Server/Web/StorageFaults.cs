using System.Data.Common;
using System.Globalization;
using eSafe.Server.Storage;

namespace eSafe.Server.Web;

/// <summary>
/// A storage fault (a full disk) is answered 503 with Retry-After, never 500: devices keep the incident in
/// their outbox and deliver it later, the console says what is wrong. The server recovers by itself once
/// the database can be written again (see <see cref="Storage.LiteDb.ReopeningEngine"/>). A database server that drops
/// its connections mid-request (a restart, a failover: a transient <see cref="DbException"/>) is answered the same way.
/// </summary>
public static partial class StorageFaults
{
    public const int RetryAfterSeconds = 30;

    public static IApplicationBuilder UseStorageFaults(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        try
        {
            await next(context);
        }
        catch (Exception e) when (e is StorageUnavailableException or IOException or DbException { IsTransient: true } && !context.Response.HasStarted
                                  && !context.RequestAborted.IsCancellationRequested)
        {
            Log.Unavailable(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StorageFaults)),
                context.Request.Path, e.Message);
            context.Response.Clear();
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            await Problems.Status(StatusCodes.Status503ServiceUnavailable, "Storage unavailable",
                    "The server cannot store anything just now (its disk may be full, or its database out of reach). Try again later: a device keeps the incident in its outbox.")
                .ExecuteAsync(context);
        }
    });

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Error, Message = "Storage unavailable while answering {Path}: {Reason}")]
        public static partial void Unavailable(ILogger logger, string path, string reason);
    }
}
