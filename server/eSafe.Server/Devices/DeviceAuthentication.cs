using eSafe.Server.Storage;
using eSafe.Server.Web;

namespace eSafe.Server.Devices;

/// <summary>
/// The device token checked once for a route group (or an endpoint): a request without a valid token gets a
/// 401 before its handler runs or its body is read; a handler reads the device with <see cref="Device"/>.
/// </summary>
public static class DeviceAuthentication
{
    private static readonly object DeviceKey = new();

    public static TBuilder RequireDevice<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (invocation, next) =>
        {
            var context = invocation.HttpContext;
            var authenticator = context.RequestServices.GetRequiredService<DeviceAuthenticator>();
            if (await authenticator.AuthenticateAsync(context.Request) is not { } device)
            {
                context.Response.Headers.WWWAuthenticate = "Bearer";
                return Problems.Status(StatusCodes.Status401Unauthorized, "Device not recognised",
                    "A valid device token is required (Authorization: Bearer <token>); enrol the device again if it was removed.");
            }

            context.Items[DeviceKey] = device;
            return await next(invocation);
        });

    /// <summary>The device whose token the request carried (only inside a group or endpoint with <see cref="RequireDevice"/>).</summary>
    public static DeviceRecord Device(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Items[DeviceKey] as DeviceRecord
            ?? throw new InvalidOperationException("The endpoint is not in a route group that requires a device token.");
    }
}
