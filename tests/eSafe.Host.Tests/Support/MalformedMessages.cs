using System.Text.Json.Nodes;
using eSafe.Contracts.Native;

namespace eSafe.Host.Tests.Support;

/// <summary>What the host must do with a message: refuse it with an error, or take it as it is.</summary>
public enum Expected
{
    Error,
    Accepted,
}

/// <summary>One spoilt message: which message and field, how it was spoilt, and what the host must do.</summary>
public sealed record MalformedMessage(string Name, string Json, Expected Expected)
{
    public override string ToString() => Name;
}

/// <summary>
/// Every native messaging message type with each of its fields missing, null, of the wrong type and
/// huge: the table both the session tests and the real binary's tests go through. A field the protocol
/// lets the extension leave out is accepted when missing or null; everything else is an error.
/// </summary>
public static class MalformedMessages
{
    /// <summary>Over every limit the host sets on one field, yet inside one frame (8 MB).</summary>
    public const int HugeLength = 2 * 1024 * 1024;

    /// <summary>
    /// Sent after each spoilt message: a text event every host refuses by its ID (enrolled or not), so the
    /// answers before the refusal are the answers to the spoilt message.
    /// </summary>
    public const string Probe = """{"type":"text","event":{"eventId":"probe","source":"probe"}}""";

    private static readonly string Huge = new('x', HugeLength);

    public static bool IsProbeReply(NativeMessage message) => message is ErrorMessage { EventId: "probe" };

    public static IEnumerable<MalformedMessage> All(DateTimeOffset now)
    {
        var textEvent = new JsonObject
        {
            ["eventId"] = "ev-1",
            ["tabId"] = 7,
            ["fieldId"] = "field-1",
            ["source"] = "typed",
            ["url"] = "https://chat.example.org/room",
            ["title"] = "Chat",
            ["text"] = "see you at practice",
            ["occurredAt"] = now.ToString("O"),
            ["localOffsetMinutes"] = 60,
        };
        // Host-bound messages: which fields may be missing or null.
        var messages = new (string Type, JsonObject Fields, string[] Optional, bool HostTakes)[]
        {
            ("hello", new JsonObject { ["protocol"] = 1, ["extensionVersion"] = "1.0.0", ["account"] = "pupil@school.example",
                ["userIdKey"] = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=" }, ["extensionVersion", "account", "userIdKey"], true),
            ("text", new JsonObject { ["event"] = textEvent }, [], true),
            ("capture-reply", new JsonObject { ["requestId"] = "r-1", ["jpeg"] = "/9j/4AAQ", ["error"] = "the tab is not visible" },
                ["jpeg", "error"], true),
            // The host sends these; from the extension each is an error whatever it holds.
            ("hello-reply", new JsonObject { ["protocol"] = 1, ["hostVersion"] = "0.1.0", ["libraryVersion"] = "x", ["ready"] = true, ["problem"] = "p" }, [], false),
            ("ack", new JsonObject { ["eventId"] = "ev-1", ["incidents"] = 0 }, [], false),
            ("capture", new JsonObject { ["requestId"] = "r-1", ["tabId"] = 7 }, [], false),
            ("error", new JsonObject { ["message"] = "m", ["eventId"] = "ev-1" }, [], false),
        };
        // In a text event, these may be missing or null (tabId and localOffsetMinutes default to 0).
        string[] optionalInEvent = ["fieldId", "title", "tabId", "localOffsetMinutes"];

        foreach (var (type, fields, optional, hostTakes) in messages)
        {
            var message = new JsonObject { ["type"] = type };
            foreach (var (key, value) in fields)
            {
                message[key] = value?.DeepClone();
            }

            foreach (var spoilt in Spoil(message, [.. optional.Append("").Where(_ => hostTakes)], type))
            {
                yield return hostTakes ? spoilt : spoilt with { Expected = Expected.Error };
            }

            if (type == "text")
            {
                foreach (var spoilt in Spoil(textEvent, optionalInEvent, "text.event"))
                {
                    yield return spoilt with { Json = new JsonObject { ["type"] = "text", ["event"] = JsonNode.Parse(spoilt.Json) }.ToJsonString() };
                }
            }
        }

        yield return new MalformedMessage("no type", """{"protocol":1}""", Expected.Error);
        yield return new MalformedMessage("an unknown type", """{"type":"shutdown"}""", Expected.Error);
        yield return new MalformedMessage("not an object", """[1,2,3]""", Expected.Error);
        yield return new MalformedMessage("null", "null", Expected.Error);
        yield return new MalformedMessage("not JSON", "hello", Expected.Error);
        yield return new MalformedMessage("empty", "", Expected.Error);
        yield return new MalformedMessage("nested 1000 deep", new string('[', 1000) + new string(']', 1000), Expected.Error);
    }

    private static IEnumerable<MalformedMessage> Spoil(JsonObject template, string[] optional, string name)
    {
        foreach (var (key, value) in template)
        {
            var mayBeLeftOut = optional.Contains(key);
            yield return Make("missing", o => o.Remove(key), mayBeLeftOut);
            // Only a text can be null; a number cannot, even where it may be left out (and be 0).
            yield return Make("null", o => o[key] = null, mayBeLeftOut && value?.GetValueKind() == System.Text.Json.JsonValueKind.String);
            yield return Make("of the wrong type", o => o[key] = WrongType(value), false);
            yield return Make("huge", o => o[key] = HugeOf(value), false);

            MalformedMessage Make(string how, Action<JsonObject> spoil, bool accepted)
            {
                var copy = template.DeepClone().AsObject();
                spoil(copy);
                return new MalformedMessage($"{name}: {key} {how}", copy.ToJsonString(), accepted ? Expected.Accepted : Expected.Error);
            }
        }
    }

    private static JsonNode WrongType(JsonNode? value) => value?.GetValueKind() switch
    {
        System.Text.Json.JsonValueKind.String => JsonValue.Create(12345),
        // Not a string: the web defaults read "12345" as a number on purpose.
        System.Text.Json.JsonValueKind.Number => JsonValue.Create(true),
        System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False => JsonValue.Create("yes"),
        _ => new JsonArray(1, 2),
    };

    private static JsonNode HugeOf(JsonNode? value) => value?.GetValueKind() switch
    {
        // A base64 string longer than a screenshot may be, or a plain one longer than any field.
        System.Text.Json.JsonValueKind.String when value.GetValue<string>() == "/9j/4AAQ" =>
            JsonValue.Create(Convert.ToBase64String(new byte[5 * 1024 * 1024]))!,
        System.Text.Json.JsonValueKind.String => JsonValue.Create(Huge),
        System.Text.Json.JsonValueKind.Number => JsonNode.Parse("1" + new string('0', 400))!,
        System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False => JsonValue.Create(Huge),
        _ => new JsonObject { ["filler"] = Huge },
    };
}
