using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Features;

namespace eSafe.Server.Web;

/// <summary>Reads request bodies with a size limit of our own, so each endpoint refuses large bodies clearly (413).</summary>
public static class RequestBody
{
    /// <summary>
    /// The body's bytes, or null and an error result (413 when too large). A body somewhat over the limit
    /// (up to twice it) is read to its end and dropped before answering, so that the client, still sending,
    /// gets the 413 rather than a closed connection; a larger one is cut off.
    /// </summary>
    public static async Task<(byte[]? Body, IResult? Error)> ReadAsync(HttpContext context, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        long drainLimit = 2L * maxBytes;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = drainLimit;
        }

        if (request.ContentLength > drainLimit)
        {
            return (null, TooLarge(maxBytes));
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        var tooLarge = false;
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
            {
                tooLarge |= buffer.Length + read > maxBytes;
                if (!tooLarge)
                {
                    buffer.Write(chunk, 0, read);
                }
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            tooLarge = true;
        }

        return tooLarge ? (null, TooLarge(maxBytes)) : (buffer.ToArray(), null);
    }

    /// <summary>Reads and parses a JSON body; a body that is not that JSON gets a 400 problem.</summary>
    public static async Task<(T? Value, IResult? Error)> ReadJsonAsync<T>(HttpContext context, int maxBytes, JsonTypeInfo<T> type)
        where T : class
    {
        var (body, error) = await ReadAsync(context, maxBytes);
        if (body is null)
        {
            return (null, error);
        }

        try
        {
            var value = JsonSerializer.Deserialize(body, type);
            return value is null ? (null, Problems.BadRequest("The request body is empty; a JSON object was expected.")) : (value, null);
        }
        catch (JsonException e)
        {
            var where = string.IsNullOrEmpty(e.Path) ? "" : $" (at {e.Path})";
            return (null, Problems.BadRequest($"The request body is not the JSON object expected{where}."));
        }
    }

    private static IResult TooLarge(int maxBytes) =>
        Problems.Status(StatusCodes.Status413PayloadTooLarge, "Request body too large", $"The request body is larger than {maxBytes / 1024} KB.");
}
