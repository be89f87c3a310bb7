namespace eSafe.EndToEnd.Tests.Support;

/// <summary>Waits for what real processes do in their own time: true once the condition holds, false when time runs out.</summary>
public static class Eventually
{
    public static async Task<bool> WithinAsync(Func<Task<bool>> condition, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(250);
        }

        return false;
    }
}
