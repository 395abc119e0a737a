using System.Text.Json;
using System.Text.Json.Serialization;
using VodConsole.Core.Callbacks;
using VodConsole.Core.Common;
using VodConsole.Core.Review;
using VodConsole.Core.Transcoding;

namespace VodConsole.Core.Configuration;

/// <summary>The parts of an application's configuration that can be compared and applied one by one.</summary>
public enum ConfigSection { Playback, Callbacks, Transcoding, Review, Categories }

/// <summary>
/// An application's configuration as a versioned JSON document (docs/configuration.md): what a platform team keeps
/// beside its code, compares between test and production, and applies to other applications. Never a secret: neither
/// the playback signing key nor the callback key is part of it, so a document can be shared, stored and diffed freely.
/// </summary>
public sealed record ConfigurationDocument(
    int SchemaVersion, ConfigurationSource Application, DateTime ExportedAt, PlaybackConfiguration Playback,
    CallbackConfigurationSection Callbacks, TranscodingConfiguration Transcoding, ReviewConfiguration Review,
    IReadOnlyList<string> Categories)
{
    /// <summary>The format this console writes and reads; a document of another version is refused with a message.</summary>
    public const int CurrentSchemaVersion = 1;

    /// <summary>The largest document the console reads (an upload, an API body).</summary>
    public const int MaxBytes = 512 * 1024;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public JsonElement ToJsonElement() => JsonSerializer.SerializeToElement(this, Json);

    /// <summary>Reads a document someone uploaded or sent; anything that is not one answers with what is wrong.</summary>
    public static ConfigurationDocument Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw Invalid("The document is empty: choose a file exported from the console.");
        }
        if (text.Length > MaxBytes)
        {
            throw Invalid($"A configuration document is at most {MaxBytes / 1024} KB.");
        }
        int? version;
        try
        {
            using var parsed = JsonDocument.Parse(text);
            version = parsed.RootElement.ValueKind == JsonValueKind.Object
                && parsed.RootElement.TryGetProperty("schemaVersion", out var v) && v.TryGetInt32(out var number) ? number : null;
        }
        catch (JsonException)
        {
            throw Invalid("The document is not JSON: choose a file exported from the console.");
        }
        if (version != CurrentSchemaVersion)
        {
            throw Invalid(version is null
                ? "The document has no schemaVersion: it is not a configuration document exported from the console."
                : $"The document's schemaVersion is {version}; this console reads version {CurrentSchemaVersion}.");
        }
        ConfigurationDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<ConfigurationDocument>(text, Json);
        }
        catch (JsonException e)
        {
            throw Invalid($"The document does not have the expected shape{(e.Path is { } path ? $" at {path}" : "")}: {FirstLine(e.Message)}");
        }
        if (document is null || document.Application is null || document.Playback is null || document.Callbacks is null
            || document.Transcoding is null || document.Review is null || document.Categories is null
            || document.Transcoding.Templates is null || document.Callbacks.Events is null
            || document.Categories.Any(c => c is null) || document.Transcoding.Templates.Any(t => t?.Renditions is null))
        {
            throw Invalid("The document lacks a section (application, playback, callbacks, transcoding, review, categories).");
        }
        return document;
    }

    public static DomainRuleException Invalid(string message) => new(message, Field);

    /// <summary>The input a problem with the document is about (the API's <c>InvalidParameter.Document</c>).</summary>
    public const string Field = "Document";

    private static string FirstLine(string text) => text.Split('\n')[0].Split(" Path:")[0];
}

/// <summary>Which application the document was exported from (for people reading it; applying does not use it).</summary>
public sealed record ConfigurationSource(long Id, string Name);

/// <summary>
/// The playback domain: <see cref="PlaybackPath"/> is where the application's media play, relative to the console's
/// address; it follows from the application's ID, so it is shown, never compared or applied. Signing on or off is a
/// setting; the key is a secret and never leaves the application.
/// </summary>
public sealed record PlaybackConfiguration(string PlaybackPath, bool SigningEnabled);

/// <summary>Event callbacks without their key: the mode (Off is "not enabled"), where Push posts, and the events subscribed to.</summary>
public sealed record CallbackConfigurationSection(CallbackMode Mode, string? Url, IReadOnlyList<CallbackEventType> Events);

/// <summary>The application's own templates (presets are the same everywhere) and the default processing by template name.</summary>
/// <param name="DefaultProcessing">A preset's or own template's name; null: new uploads are not transcoded.</param>
public sealed record TranscodingConfiguration(IReadOnlyList<TemplateConfiguration> Templates, string? DefaultProcessing);

/// <summary>A template by name: names are unique per application (ignoring case), IDs are not comparable between applications.</summary>
public sealed record TemplateConfiguration(string Name, TranscodeFormat Format, IReadOnlyList<TranscodeRendition> Renditions);

public sealed record ReviewConfiguration(ReviewMode Mode);
