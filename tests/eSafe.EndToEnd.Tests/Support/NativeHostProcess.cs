using System.Diagnostics;
using System.Text;
using System.Text.Json;
using eSafe.Contracts;
using eSafe.Contracts.Native;

namespace eSafe.EndToEnd.Tests.Support;

/// <summary>
/// The published host started as Chrome starts it (the extension's origin as its argument), spoken to in
/// native messaging frames over its standard input and output.
/// </summary>
public sealed class NativeHostProcess : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly Process _process;
    private readonly Stream _input;
    private readonly Stream _output;
    private readonly Task<string> _errors;

    private NativeHostProcess(Process process)
    {
        _process = process;
        _input = process.StandardInput.BaseStream;
        _output = process.StandardOutput.BaseStream;
        _errors = process.StandardError.ReadToEndAsync();
    }

    public const string FakeTime = "/usr/bin/faketime";

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <param name="clockAhead">Runs the host under Debian's faketime with its clock this far ahead (a device clock that is fast).</param>
    public static NativeHostProcess Start(string stateDirectory, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? clockAhead = null)
    {
        var binary = RepositoryLayout.Require(RepositoryLayout.HostBinary, "run ./build.sh --target=Publish-Host");
        var start = new ProcessStartInfo(clockAhead is null ? binary : FakeTime)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (clockAhead is { } ahead)
        {
            start.ArgumentList.Add("-f");
            start.ArgumentList.Add($"+{(int)ahead.TotalSeconds}s");
            start.ArgumentList.Add(binary);
            // Only the wall clock is the device's fast one; timers keep real time.
            start.Environment["FAKETIME_DONT_FAKE_MONOTONIC"] = "1";
        }

        start.ArgumentList.Add($"chrome-extension://{NativeProtocol.ExtensionId}/");
        start.Environment[HostInstallation.StateVariable] = stateDirectory;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        return new NativeHostProcess(Process.Start(start) ?? throw new InvalidOperationException("the host did not start"));
    }

    public Task SendAsync(NativeMessage message) =>
        SendRawAsync(JsonSerializer.SerializeToUtf8Bytes(message, ContractsJson.Default.NativeMessage));

    public Task SendRawAsync(string json) => SendRawAsync(Encoding.UTF8.GetBytes(json));

    public async Task SendRawAsync(byte[] body)
    {
        await _input.WriteAsync(BitConverter.GetBytes((uint)body.Length));
        await _input.WriteAsync(body);
        await _input.FlushAsync();
    }

    /// <summary>The host's next message; fails the test when the host ends or says nothing in time.</summary>
    public async Task<NativeMessage> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        var header = new byte[4];
        await ReadExactlyAsync(header, timeout.Token);
        var body = new byte[BitConverter.ToUInt32(header)];
        await ReadExactlyAsync(body, timeout.Token);
        return JsonSerializer.Deserialize(body, ContractsJson.Default.NativeMessage)!;
    }

    /// <summary>Closes the host's input as Chrome does when the port closes; its exit code.</summary>
    public async Task<int> CloseAsync()
    {
        _input.Close();
        await _process.WaitForExitAsync().WaitAsync(Patience);
        return _process.ExitCode;
    }

    public Task<string> ErrorsAsync() => _errors;

    public void Kill() => _process.Kill(entireProcessTree: true);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private async Task ReadExactlyAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        try
        {
            await _output.ReadExactlyAsync(buffer, cancellationToken);
        }
        catch (EndOfStreamException)
        {
            await _process.WaitForExitAsync(cancellationToken);
            throw new AssertionException($"the host ended (exit {_process.ExitCode}): {await _errors}");
        }
        catch (OperationCanceledException)
        {
            throw new AssertionException($"the host said nothing within {Patience.TotalSeconds} s");
        }
    }
}
