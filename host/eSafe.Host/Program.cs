using eSafe.Host.Cli;

return await HostCommandLine.Create().Parse(args).InvokeAsync();
