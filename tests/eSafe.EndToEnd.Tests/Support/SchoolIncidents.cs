using eSafe.Contracts.Http;

namespace eSafe.EndToEnd.Tests.Support;

/// <summary>Waiting for a school's incidents to reach the server, and reading the school's key as the admin keeps it.</summary>
public static class SchoolIncidents
{
    /// <summary>The school's incidents once there are <paramref name="count"/> (then a moment more, for any extra upload to show); fails the test after the timeout.</summary>
    public static async Task<IReadOnlyList<IncidentSummary>> WaitForAsync(IAnalystApi analyst, string schoolId, int count, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(analyst);
        var deadline = DateTime.UtcNow + timeout;
        IReadOnlyList<IncidentSummary> seen = [];
        while (DateTime.UtcNow < deadline)
        {
            seen = (await analyst.ListIncidentsAsync(new IncidentQuery { SchoolId = schoolId }, CancellationToken.None)).Items;
            if (seen.Count >= count)
            {
                await Task.Delay(2000);
                return (await analyst.ListIncidentsAsync(new IncidentQuery { SchoolId = schoolId }, CancellationToken.None)).Items;
            }

            await Task.Delay(250);
        }

        Assert.Fail($"{seen.Count} of {count} incidents reached the server within {timeout.TotalSeconds} s");
        return seen;
    }

    /// <summary>The key in a file made by <c>esafe-host school-key new</c> (comment lines start with #).</summary>
    public static byte[] ReadKey(string file) =>
        Convert.FromBase64String(File.ReadAllLines(file).Select(l => l.Trim()).First(l => l.Length > 0 && !l.StartsWith('#')));
}
