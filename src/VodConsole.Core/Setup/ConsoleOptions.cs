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
    /// <summary>Where media files live: <c>Local</c> (default, <c>{DataDirectory}/media</c>) or <c>S3</c> (<see cref="S3"/>).</summary>
    public string Provider { get; set; } = "Local";
    public S3StorageOptions S3 { get; set; } = new();
}

/// <summary><c>Storage:S3:*</c> — an S3-compatible bucket for media files (AWS S3, MinIO, Ceph, ...).</summary>
public sealed class S3StorageOptions
{
    /// <summary>The endpoint, e.g. <c>https://minio.example.com:9000</c>.</summary>
    public string? ServiceUrl { get; set; }
    public string? Bucket { get; set; }
    /// <summary>Empty: the SDK's default credentials (environment, profile, instance role).</summary>
    public string? AccessKey { get; set; }
    public string? SecretKey { get; set; }
    /// <summary><c>https://host/bucket/key</c> instead of <c>https://bucket.host/key</c>; most self-hosted stores need it.</summary>
    public bool ForcePathStyle { get; set; }
    /// <summary>The signing region; S3-compatible stores usually accept the default.</summary>
    public string Region { get; set; } = "us-east-1";
    /// <summary>Optional folder inside the bucket (e.g. <c>vodconsole/</c>), so one bucket can serve several installations.</summary>
    public string? Prefix { get; set; }
    /// <summary>
    /// An unfinished write (multipart upload, tree) older than this is taken as abandoned by a dead instance and removed.
    /// Several instances share the bucket, so it must exceed the longest upload: younger ones may be another instance's.
    /// </summary>
    public TimeSpan AbandonedAfter { get; set; } = TimeSpan.FromHours(24);
}
