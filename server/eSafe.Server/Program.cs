using eSafe.Server.Cli;

return await ServerCommands.Create().Parse(args).InvokeAsync(ServerCommands.Invocation());
