using eSafe.Contracts.Native;
using eSafe.EndToEnd.Tests.Support;
using eSafe.Host.Tests.Support;

namespace eSafe.EndToEnd.Tests;

/// <summary>The published host under faults: spoilt messages, damaged files, a server that goes away.</summary>
[TestFixture]
public sealed class HostFaultTests
{
    [Test]
    public async Task Every_spoilt_message_gets_an_error_and_the_real_host_keeps_running()
    {
        using var state = new TemporaryFolder("esafe-host-state");
        await using var host = NativeHostProcess.Start(state.Path);
        await host.SendAsync(new HelloMessage(NativeProtocol.Version, "1.0.0", null));
        (await host.ReceiveAsync()).Should().BeOfType<HelloReply>();
        var refused = 0;

        // One process for the whole table: every message after the first must still be answered.
        foreach (var message in MalformedMessages.All(DateTimeOffset.UtcNow))
        {
            await host.SendRawAsync(message.Json);
            await host.SendRawAsync(MalformedMessages.Probe);
            var answers = new List<NativeMessage>();
            while (await host.ReceiveAsync() is var next && !MalformedMessages.IsProbeReply(next))
            {
                answers.Add(next);
            }

            if (message.Expected == Expected.Error)
            {
                answers.Should().ContainSingle(message.Name).Which.Should().BeOfType<ErrorMessage>();
                refused++;
            }
            else
            {
                answers.Should().NotContain(a => a is ErrorMessage, message.Name);
            }
        }

        refused.Should().BeGreaterThan(100);
        (await host.CloseAsync()).Should().Be(0, await host.ErrorsAsync());
    }
}
