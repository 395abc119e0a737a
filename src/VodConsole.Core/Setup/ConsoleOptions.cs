namespace VodConsole.Core.Setup;

/// <summary><c>Bootstrap:*</c> — the owner account created on first start.</summary>
public sealed class BootstrapOptions
{
    public const string Section = "Bootstrap";
    public string AdminEmail { get; set; } = "admin@vodconsole.local";
    /// <summary>Empty: a strong password is generated and written to the log once.</summary>
    public string? AdminPassword { get; set; }
}

/// <summary><c>Seed:*</c> — optional demo content for a new installation.</summary>
public sealed class SeedOptions
{
    public const string Section = "Seed";
    public bool DemoData { get; set; }
}

/// <summary><c>Storage:*</c> — where the SQLite database and media files live.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";
    /// <summary>Absolute, or relative to the application's content root. Created on start.</summary>
    public string DataDirectory { get; set; } = "data";
}
