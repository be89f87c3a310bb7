using eSafe.Server.Tests.Support;

namespace eSafe.Server.Tests;

/// <summary>Stops the run's PostgreSQL cluster (if a test started it) after the assembly's last test.</summary>
[SetUpFixture]
public sealed class PostgresClusterTeardown
{
    [OneTimeTearDown]
    public Task StopAsync() => PostgresCluster.StopSharedAsync();
}
