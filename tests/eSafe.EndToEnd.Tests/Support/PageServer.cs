using System.Net;

namespace eSafe.EndToEnd.Tests.Support;

/// <summary>Serves the test's pages (the Pages folder) on 127.0.0.1, as a school's web would.</summary>
public sealed class PageServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly string _root = Path.Combine(AppContext.BaseDirectory, "Pages");

    public PageServer()
    {
        Url = new Uri($"http://127.0.0.1:{FreePort.Next()}/");
        _listener.Prefixes.Add(Url.ToString());
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public Uri Url { get; }

    public void Dispose() => _listener.Close();

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            var name = Path.GetFileName(context.Request.Url!.AbsolutePath);
            var file = Path.Combine(_root, name);
            if (name.Length > 0 && File.Exists(file))
            {
                context.Response.ContentType = name.EndsWith(".js", StringComparison.Ordinal) ? "text/javascript" : "text/html; charset=utf-8";
                var bytes = await File.ReadAllBytesAsync(file);
                await context.Response.OutputStream.WriteAsync(bytes);
            }
            else
            {
                context.Response.StatusCode = 404;
            }

            context.Response.Close();
        }
    }
}
