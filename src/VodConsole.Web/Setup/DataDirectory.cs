using VodConsole.Core.Setup;

namespace VodConsole.Web.Setup;

public static class DataDirectory
{
    /// <summary>The absolute data directory (<c>Storage:DataDirectory</c>, relative to the content root), created if missing.</summary>
    public static string Resolve(IConfiguration configuration, IHostEnvironment environment)
    {
        var configured = configuration[$"{StorageOptions.Section}:{nameof(StorageOptions.DataDirectory)}"];
        var path = Path.GetFullPath(
            string.IsNullOrWhiteSpace(configured) ? new StorageOptions().DataDirectory : configured,
            environment.ContentRootPath);
        Directory.CreateDirectory(path);
        return path;
    }
}
