using eSafe.Server.Notifications.Phone;
using eSafe.Server.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace eSafe.Server.Tests.Phone;

/// <summary>The Twilio settings that point a notifier at a <see cref="LocalTwilio"/>, and a notifier built from them the way the server builds it.</summary>
internal static class PhoneTestSettings
{
    /// <summary>The server's public address in these tests: Twilio signs for it; a stand-in proxy delivers to the real local one.</summary>
    public const string PublicBaseUrl = "https://esafe.example.org";
    public const string FromNumber = "+441632960100";

    public static Dictionary<string, string?> For(LocalTwilio twilio, string? authToken = null, string? apiBaseUrl = null, string? requestTimeout = null) =>
        new()
        {
            ["Twilio:AccountSid"] = twilio.AccountSid,
            ["Twilio:AuthToken"] = authToken ?? twilio.AuthToken,
            ["Twilio:FromNumber"] = FromNumber,
            ["Twilio:ApiBaseUrl"] = apiBaseUrl ?? twilio.BaseAddress.ToString(),
            ["Twilio:PublicBaseUrl"] = PublicBaseUrl,
            ["Twilio:RequestTimeout"] = requestTimeout ?? "00:00:10",
        };

    /// <summary>A service provider with <see cref="PhoneServices.AddPhoneNotifications"/> over these settings.</summary>
    public static ServiceProvider Services(IReadOnlyDictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddPhoneNotifications(configuration);
        return services.BuildServiceProvider();
    }
}
