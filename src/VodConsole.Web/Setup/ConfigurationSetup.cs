using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;

namespace VodConsole.Web.Setup;

public static class ConfigurationSetup
{
    /// <summary>
    /// Adds the repository's root <c>appsettings.json</c> (copied next to the binaries) as the lowest-precedence source,
    /// so environment variables and command-line arguments still override it. Works for <c>dotnet run</c>, a published
    /// build and test hosts alike, because it is read from the binaries' folder rather than the content root.
    /// </summary>
    public static IConfigurationBuilder AddRepositoryAppSettings(this IConfigurationManager configuration)
    {
        var source = new JsonConfigurationSource
        {
            Path = "appsettings.json",
            Optional = true,
            ReloadOnChange = false,
            FileProvider = new PhysicalFileProvider(AppContext.BaseDirectory),
        };
        configuration.Sources.Insert(0, source);
        return configuration;
    }
}
