using System.Buffers;
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
        var (body, length, error) = await ReadPooledAsync(context, maxBytes);
        if (body is null)
        {
            return (null, error);
        }

        var bytes = body.AsSpan(0, length).ToArray();
        Return(body, length);
        return (bytes, null);
    }

    /// <summary>Reads and parses a JSON body; a body that is not that JSON gets a 400 problem.</summary>
    public static async Task<(T? Value, IResult? Error)> ReadJsonAsync<T>(HttpContext context, int maxBytes, JsonTypeInfo<T> type)
        where T : class
    {
        // Parsed from a pooled buffer: a sealed incident's body is a few hundred KB, read for every upload.
        var (body, length, error) = await ReadPooledAsync(context, maxBytes);
        if (body is null)
        {
            return (null, error);
        }

        try
        {
            var value = JsonSerializer.Deserialize(body.AsSpan(0, length), type);
            return value is null ? (null, Problems.BadRequest("The request body is empty; a JSON object was expected.")) : (value, null);
        }
        catch (JsonException e)
        {
            var where = string.IsNullOrEmpty(e.Path) ? "" : $" (at {e.Path})";
            return (null, Problems.BadRequest($"The request body is not the JSON object expected{where}."));
        }
        finally
        {
            Return(body, length);
        }
    }

    /// <summary>
    /// The body in a pooled buffer, read once (a sealed incident's body is read for every upload); null and an error result
    /// (413 when too large). Dispose the body to wipe it and give the buffer back.
    /// </summary>
    public static async Task<(PooledBody? Body, IResult? Error)> ReadPooledBodyAsync(HttpContext context, int maxBytes)
    {
        var (body, length, error) = await ReadPooledAsync(context, maxBytes);
        return body is null ? (null, error) : (new PooledBody(body, length), null);
    }

    /// <summary>A request body in a buffer rented from the shared pool; wiped and returned on dispose.</summary>
    public sealed class PooledBody(byte[] buffer, int length) : IDisposable
    {
        private byte[]? _buffer = buffer;

        public Memory<byte> Memory => (_buffer ?? throw new ObjectDisposedException(nameof(PooledBody))).AsMemory(0, length);

        public void Dispose()
        {
            if (_buffer is { } returned)
            {
                _buffer = null;
                Return(returned, length);
            }
        }
    }

    // The body in a buffer rented from the shared pool (the caller returns it), sized by Content-Length when the client
    // sent one and grown by doubling otherwise; null and the error when it is too large.
    private static async Task<(byte[]? Body, int Length, IResult? Error)> ReadPooledAsync(HttpContext context, int maxBytes)
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
            return (null, 0, TooLarge(maxBytes));
        }

        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(request.ContentLength ?? 0, Math.Min(4096, maxBytes), maxBytes) + 1);
        var length = 0;
        var tooLarge = false;
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(buffer.AsMemory(length), context.RequestAborted)) > 0)
            {
                length += read;
                tooLarge |= length > maxBytes;
                if (tooLarge)
                {
                    // Drained and dropped: keep reading into the same place.
                    length = 0;
                }
                else if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, maxBytes + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    Return(buffer, length);
                    buffer = larger;
                }
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            tooLarge = true;
        }
        catch
        {
            Return(buffer, buffer.Length);
            throw;
        }

        if (tooLarge)
        {
            Return(buffer, buffer.Length);
            return (null, 0, TooLarge(maxBytes));
        }

        return (buffer, length, null);
    }

    // Wiped first: some bodies hold a password or a token, and the pool hands the array to any later caller.
    private static void Return(byte[] buffer, int length)
    {
        buffer.AsSpan(0, length).Clear();
        ArrayPool<byte>.Shared.Return(buffer);
    }

    private static IResult TooLarge(int maxBytes) =>
        Problems.Status(StatusCodes.Status413PayloadTooLarge, "Request body too large", $"The request body is larger than {maxBytes / 1024} KB.");
}
