namespace VodConsole.Core.Audit;

/// <summary>How the audit log names what a change was made to: kind, ID and the name it had then.</summary>
public static class AuditTargets
{
    public static string Application(long id, string name) => $"Application {id} \"{name}\"";
    public static string Media(long id, string title) => $"Media {id} \"{title}\"";
    public static string Category(long id, string name) => $"Category {id} \"{name}\"";
    public static string TranscodeTemplate(long id, string name) => $"Transcoding template {id} \"{name}\"";
    public static string User(string email) => $"User {email}";
    public static string ApiKey(string keyId, string name) => $"API key {keyId} \"{name}\"";
}
