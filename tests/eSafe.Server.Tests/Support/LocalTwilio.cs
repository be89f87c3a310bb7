using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace eSafe.Server.Tests.Support;

/// <summary>
/// A stand-in for Twilio's REST API on 127.0.0.1 (a real Kestrel on a free port): it takes calls and messages as
/// Twilio does (Basic auth with the account SID and auth token, 201 and the resource's JSON, Twilio's error JSON),
/// records them, fails or stalls on request, and plays the callee: <see cref="PressKeyAsync"/> posts the call's
/// Gather action signed as Twilio signs its webhooks. Self-contained (ASP.NET Core and System.* only), so other
/// test projects can link this file.
/// </summary>
public sealed class LocalTwilio : IAsyncDisposable
{
    public const string ApiVersion = "2010-04-01";
    public const string SignatureHeader = "X-Twilio-Signature";

    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private readonly List<RecordedCall> _calls = [];
    private readonly List<RecordedText> _texts = [];
    private readonly Queue<int> _failures = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly HttpClient _webhooks = new(new HttpClientHandler { AllowAutoRedirect = false });
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _stalls;
    private int _requests;

    private LocalTwilio(WebApplication app, string accountSid, string authToken)
    {
        _app = app;
        AccountSid = accountSid;
        AuthToken = authToken;
    }

    public string AccountSid { get; }
    public string AuthToken { get; }

    /// <summary>The API's base address: what the server's Twilio:ApiBaseUrl is set to.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>
    /// Where webhooks actually go when not to the URL in the TwiML: the server's local address, standing in for the
    /// reverse proxy between Twilio and a server whose public address is another. The signature is for the TwiML's URL.
    /// </summary>
    public Uri? WebhookTarget { get; set; }

    /// <summary>Every request to the API so far, refused ones included.</summary>
    public int RequestCount => Volatile.Read(ref _requests);

    public IReadOnlyList<RecordedCall> Calls
    {
        get
        {
            lock (_gate)
            {
                return [.. _calls];
            }
        }
    }

    public IReadOnlyList<RecordedText> Texts
    {
        get
        {
            lock (_gate)
            {
                return [.. _texts];
            }
        }
    }

    /// <summary>Starts it with the given credentials, or new random ones.</summary>
    public static async Task<LocalTwilio> StartAsync(string? accountSid = null, string? authToken = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var twilio = new LocalTwilio(app, accountSid ?? "AC" + RandomHex(16), authToken ?? RandomHex(16));
        app.MapPost($"/{ApiVersion}/Accounts/{{sid}}/Calls.json", (string sid, HttpContext context) => twilio.CreateAsync(sid, context, isCall: true));
        app.MapPost($"/{ApiVersion}/Accounts/{{sid}}/Messages.json", (string sid, HttpContext context) => twilio.CreateAsync(sid, context, isCall: false));
        await app.StartAsync();
        twilio.BaseAddress = new Uri(app.Urls.First());
        return twilio;
    }

    /// <summary>The next <paramref name="count"/> requests are answered with <paramref name="status"/> and Twilio's error JSON.</summary>
    public void FailNext(int count, int status)
    {
        lock (_gate)
        {
            for (var i = 0; i < count; i++)
            {
                _failures.Enqueue(status);
            }
        }
    }

    /// <summary>The next <paramref name="count"/> requests get no answer until the client gives up (or this stops).</summary>
    public void StallNext(int count) => Interlocked.Add(ref _stalls, count);

    public Task<IReadOnlyList<RecordedCall>> WaitForCallsAsync(int count, TimeSpan timeout) => WaitForAsync(() => Calls, count, timeout, "calls");

    public Task<IReadOnlyList<RecordedText>> WaitForTextsAsync(int count, TimeSpan timeout) => WaitForAsync(() => Texts, count, timeout, "texts");

    /// <summary>The callee presses <paramref name="digits"/>: posts the call's Gather action as Twilio does, signed.</summary>
    public Task<WebhookReply> PressKeyAsync(RecordedCall call, string digits)
    {
        ArgumentNullException.ThrowIfNull(call);
        var action = GatherAction(call.Twiml);
        var form = KeyPressForm(call, digits);
        return PostWebhookAsync(action, form, Sign(action, form, AuthToken));
    }

    /// <summary>The form Twilio posts to a Gather action after a key press on <paramref name="call"/>.</summary>
    public Dictionary<string, string> KeyPressForm(RecordedCall call, string digits)
    {
        ArgumentNullException.ThrowIfNull(call);
        return new(StringComparer.Ordinal)
        {
            ["AccountSid"] = AccountSid,
            ["ApiVersion"] = ApiVersion,
            ["CallSid"] = call.Sid,
            ["CallStatus"] = "in-progress",
            ["Called"] = call.To,
            ["Caller"] = call.From,
            ["Digits"] = digits,
            ["Direction"] = "outbound-api",
            ["FinishedOnKey"] = "",
            ["From"] = call.From,
            ["To"] = call.To,
            ["msg"] = "Gather End",
        };
    }

    /// <summary>The URL of the (first) Gather in a call's TwiML.</summary>
    public static string GatherAction(string twiml)
    {
        var gather = XDocument.Parse(twiml).Descendants("Gather").FirstOrDefault()
            ?? throw new InvalidOperationException("The call's TwiML has no <Gather>.");
        return gather.Attribute("action")?.Value ?? throw new InvalidOperationException("The call's <Gather> has no action.");
    }

    /// <summary>Posts a webhook form to <paramref name="url"/> (delivered to <see cref="WebhookTarget"/> when set) with the signature given, if any.</summary>
    public async Task<WebhookReply> PostWebhookAsync(string url, IReadOnlyDictionary<string, string> form, string? signature)
    {
        var target = new Uri(url);
        if (WebhookTarget is { } local)
        {
            target = new Uri(local, target.PathAndQuery);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new FormUrlEncodedContent(form) };
        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation(SignatureHeader, signature);
        }

        request.Headers.TryAddWithoutValidation("User-Agent", "TwilioProxy/1.1");
        using var response = await _webhooks.SendAsync(request);
        return new WebhookReply(response.StatusCode, response.Content.Headers.ContentType?.MediaType ?? "", await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// Twilio's webhook signature: base64 of HMAC-SHA1, keyed with the auth token, over the full URL followed by each
    /// form field's name and value, sorted by name.
    /// </summary>
    public static string Sign(string url, IEnumerable<KeyValuePair<string, string>> form, string authToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        var data = new StringBuilder(url);
        foreach (var (name, value) in form.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            data.Append(name).Append(value);
        }

#pragma warning disable CA5350 // Twilio's webhook signature is HMAC-SHA1; this stand-in must compute what Twilio sends.
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString())));
#pragma warning restore CA5350
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _webhooks.Dispose();
        _stopping.Dispose();
    }

    private async Task CreateAsync(string sid, HttpContext context, bool isCall)
    {
        Interlocked.Increment(ref _requests);
        if (!Authenticated(sid, context.Request))
        {
            await ErrorAsync(context, 401, 20003, "Authenticate");
            return;
        }

        if (TakeStall())
        {
            using var both = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
            await Task.Delay(Timeout.Infinite, both.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            return;
        }

        if (TakeFailure() is { } status)
        {
            var (code, message) = status switch
            {
                400 => (21211, "The 'To' number is not a valid phone number."),
                404 => (20404, "The requested resource was not found"),
                429 => (20429, "Too Many Requests"),
                503 => (20503, "Service Unavailable"),
                _ => (20500, "An internal server error has occurred"),
            };
            await ErrorAsync(context, status, code, message);
            return;
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var to = form["To"].ToString();
        var from = form["From"].ToString();
        if (to.Length == 0 || from.Length == 0)
        {
            await ErrorAsync(context, 400, 21201, "No 'To' or 'From' number is specified");
            return;
        }

        if (!LooksLikeE164(to))
        {
            await ErrorAsync(context, 400, 21211, $"Invalid 'To' Phone Number: {to}");
            return;
        }

        var now = DateTimeOffset.UtcNow;
        JsonObject resource;
        if (isCall)
        {
            var twiml = form["Twiml"].ToString();
            if (twiml.Length == 0 && form["Url"].ToString().Length == 0)
            {
                await ErrorAsync(context, 400, 21205, "Url or Twiml parameter is required.");
                return;
            }

            var call = new RecordedCall("CA" + RandomHex(16), to, from, twiml, now);
            resource = CallJson(call);
            Record(() => _calls.Add(call));
        }
        else
        {
            var body = form["Body"].ToString();
            if (body.Length == 0)
            {
                await ErrorAsync(context, 400, 21602, "Message body is required.");
                return;
            }

            var text = new RecordedText("SM" + RandomHex(16), to, from, body, now);
            resource = TextJson(text);
            Record(() => _texts.Add(text));
        }

        context.Response.StatusCode = StatusCodes.Status201Created;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(resource.ToJsonString(), context.RequestAborted);
    }

    private bool Authenticated(string sid, HttpRequest request)
    {
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{AccountSid}:{AuthToken}"));
        return sid == AccountSid && request.Headers.Authorization.ToString() == expected;
    }

    private bool TakeStall()
    {
        while (true)
        {
            var stalls = Volatile.Read(ref _stalls);
            if (stalls <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _stalls, stalls - 1, stalls) == stalls)
            {
                return true;
            }
        }
    }

    private int? TakeFailure()
    {
        lock (_gate)
        {
            return _failures.Count > 0 ? _failures.Dequeue() : null;
        }
    }

    private void Record(Action add)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            add();
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.SetResult();
    }

    private async Task<IReadOnlyList<T>> WaitForAsync<T>(Func<IReadOnlyList<T>> read, int count, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                changed = _changed.Task;
            }

            var seen = read();
            if (seen.Count >= count)
            {
                return seen;
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"Expected {count} {what} within {timeout.TotalSeconds:0.#} s; {seen.Count} arrived.");
            }

            await Task.WhenAny(changed, Task.Delay(left));
        }
    }

    private JsonObject CallJson(RecordedCall call) => new()
    {
        ["sid"] = call.Sid,
        ["account_sid"] = AccountSid,
        ["parent_call_sid"] = null,
        ["date_created"] = Rfc2822(call.At),
        ["date_updated"] = Rfc2822(call.At),
        ["to"] = call.To,
        ["to_formatted"] = call.To,
        ["from"] = call.From,
        ["from_formatted"] = call.From,
        ["phone_number_sid"] = "PN" + RandomHex(16),
        ["status"] = "queued",
        ["start_time"] = null,
        ["end_time"] = null,
        ["duration"] = null,
        ["price"] = null,
        ["price_unit"] = "USD",
        ["direction"] = "outbound-api",
        ["answered_by"] = null,
        ["api_version"] = ApiVersion,
        ["forwarded_from"] = null,
        ["group_sid"] = null,
        ["caller_name"] = null,
        ["queue_time"] = "0",
        ["trunk_sid"] = null,
        ["uri"] = $"/{ApiVersion}/Accounts/{AccountSid}/Calls/{call.Sid}.json",
        ["subresource_uris"] = new JsonObject
        {
            ["notifications"] = $"/{ApiVersion}/Accounts/{AccountSid}/Calls/{call.Sid}/Notifications.json",
            ["recordings"] = $"/{ApiVersion}/Accounts/{AccountSid}/Calls/{call.Sid}/Recordings.json",
        },
    };

    private JsonObject TextJson(RecordedText text) => new()
    {
        ["sid"] = text.Sid,
        ["account_sid"] = AccountSid,
        ["api_version"] = ApiVersion,
        ["body"] = text.Body,
        ["date_created"] = Rfc2822(text.At),
        ["date_updated"] = Rfc2822(text.At),
        ["date_sent"] = null,
        ["direction"] = "outbound-api",
        ["error_code"] = null,
        ["error_message"] = null,
        ["from"] = text.From,
        ["messaging_service_sid"] = null,
        ["num_media"] = "0",
        ["num_segments"] = "1",
        ["price"] = null,
        ["price_unit"] = "USD",
        ["status"] = "queued",
        ["to"] = text.To,
        ["uri"] = $"/{ApiVersion}/Accounts/{AccountSid}/Messages/{text.Sid}.json",
        ["subresource_uris"] = new JsonObject { ["media"] = $"/{ApiVersion}/Accounts/{AccountSid}/Messages/{text.Sid}/Media.json" },
    };

    private static Task ErrorAsync(HttpContext context, int status, int code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        var error = new JsonObject
        {
            ["code"] = code,
            ["message"] = message,
            ["more_info"] = $"https://www.twilio.com/docs/errors/{code}",
            ["status"] = status,
        };
        return context.Response.WriteAsync(error.ToJsonString(), context.RequestAborted);
    }

    private static bool LooksLikeE164(string number) =>
        number.Length is >= 9 and <= 16 && number[0] == '+' && number[1..].All(char.IsAsciiDigit);

    private static string Rfc2822(DateTimeOffset at) => at.ToUniversalTime().ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture);

    private static string RandomHex(int bytes) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(bytes));
}

/// <summary>A call the stand-in took: where to, from which number, and the TwiML it was given.</summary>
public sealed record RecordedCall(string Sid, string To, string From, string Twiml, DateTimeOffset At);

/// <summary>A text message the stand-in took.</summary>
public sealed record RecordedText(string Sid, string To, string From, string Body, DateTimeOffset At);

/// <summary>What the server answered a webhook with.</summary>
public sealed record WebhookReply(HttpStatusCode Status, string ContentType, string Body);
