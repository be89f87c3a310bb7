using eSafe.EndToEnd.Tests.Support;

namespace eSafe.EndToEnd.Tests.Capture;

/// <summary>Starts the one chain that every capture test in this namespace shares, and stops it after the last.</summary>
[SetUpFixture]
public sealed class CaptureSetUp
{
    private static CaptureChain? _chain;

    /// <summary>The shared chain; started before any test of this namespace runs.</summary>
    public static CaptureChain Chain => _chain ?? throw new InvalidOperationException("the capture chain has not started");

    [OneTimeSetUp]
    public async Task StartAsync() => _chain = await CaptureChain.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_chain is not null)
        {
            await _chain.DisposeAsync();
            _chain = null;
        }
    }
}
