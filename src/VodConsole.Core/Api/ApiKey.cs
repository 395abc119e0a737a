using VodConsole.Core.Access;

namespace VodConsole.Core.Api;

/// <summary>
/// A credential for the server API: a public key ID and a secret that signs requests. Scoped to the account (acts as an
/// Administrator: every application, and the account's operations) or to one application with Full or Read-only
/// rights. The secret is kept only encrypted with Data Protection (<see cref="ApiKeySecrets"/>, docs/decisions/0008).
/// </summary>
public sealed class ApiKey
{
    public const int NameMaxLength = 60;
    public const int KeyIdMaxLength = 40;
    public const int ProtectedSecretMaxLength = 1000;
    public const int DisabledReasonMaxLength = 300;

    public long Id { get; set; }
    /// <summary>Public: sent with every request, shown on the page.</summary>
    public string KeyId { get; set; } = "";
    public string Name { get; set; } = "";
    /// <summary>The one application the key may use; null for an account key.</summary>
    public long? ApplicationId { get; set; }
    /// <summary>What the key may do in its application; an account key is always <see cref="ApplicationAccess.Full"/>.</summary>
    public ApplicationAccess Access { get; set; }
    public string ProtectedSecret { get; set; } = "";
    public bool IsEnabled { get; set; } = true;
    public DateTime CreatedAt { get; set; }
    /// <summary>The e-mail of the user who created it, as the audit log names them.</summary>
    public string CreatedBy { get; set; } = "";
    /// <summary>
    /// The user whose access the key follows: its creator, or whoever enabled it last. When that user loses the access
    /// the key needs, or is locked or removed, the key is disabled (docs/decisions/0010). Null for keys nobody vouches for.
    /// </summary>
    public string? ResponsibleUserId { get; set; }
    /// <summary>Why the console disabled the key by itself (shown on the keys page); null when enabled or disabled by hand.</summary>
    public string? DisabledReason { get; set; }
    /// <summary>When a request signed with it was last accepted (to the minute).</summary>
    public DateTime? LastUsedAt { get; set; }

    public bool IsAccountKey => ApplicationId is null;
}

/// <summary>The key a request was signed with, once verified: who the services act for, and the audit log's actor.</summary>
public sealed record ApiKeyCaller(long Id, string KeyId, string Name, long? ApplicationId, ApplicationAccess Access)
{
    public bool IsAccountKey => ApplicationId is null;

    public bool CanWrite => Access == ApplicationAccess.Full;

    /// <summary>How the audit log names the key (never its secret).</summary>
    public string ActorName => $"API key {KeyId}";

    public static ApiKeyCaller From(ApiKey key) => new(key.Id, key.KeyId, key.Name, key.ApplicationId, key.Access);
}
