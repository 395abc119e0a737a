using VodConsole.Web.Setup;

var command = ServerCommand.Parse(args);
var builder = WebApplication.CreateBuilder(command?.HostArgs ?? args);
builder.Configuration.AddRepositoryAppSettings();
builder.AddVodConsole();
if (command is not null)
{
    builder.Logging.SetMinimumLevel(LogLevel.Warning); // the command's own output, not the server's start-up chatter
}

var app = builder.Build();
if (command is not null)
{
    return await command.RunAsync(app.Services, Console.Out, Console.Error);
}
try
{
    await app.InitializeVodConsoleAsync();
}
catch (VodConsole.Core.Setup.StartupRefusedException refused)
{
    // A database this version must not touch (migrated by a newer one), a media storage it cannot reach: say so plainly
    // and do not start.
    Console.Error.WriteLine(refused.Message);
    return 1;
}
app.UseVodConsole();
app.Run();
return 0;

/// <summary>Entry point; public so that test hosts (<c>WebApplicationFactory&lt;Program&gt;</c>) can start it.</summary>
public partial class Program;
