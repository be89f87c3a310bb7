namespace eSafe.Server.Analysts;

public static class ConsoleUsers
{
    /// <summary>The signed-in user of a request that the console policy let in.</summary>
    public static ConsoleUser Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ConsoleUser.From(context.User) ?? throw new InvalidOperationException("The console policy let in a request without a console user.");
    }
}
