using VodConsole.Web.Setup;

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddRepositoryAppSettings();
builder.AddVodConsole();

var app = builder.Build();
await app.InitializeVodConsoleAsync();
app.UseVodConsole();
app.Run();

/// <summary>Entry point; public so that test hosts (<c>WebApplicationFactory&lt;Program&gt;</c>) can start it.</summary>
public partial class Program;
