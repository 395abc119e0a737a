namespace VodConsole.Core.Audit;

/// <summary>The names of what the audit log records, grouped by what they act on (the filter lists them).</summary>
public static class AuditActions
{
    public const string SignIn = "user.sign-in";
    public const string SignInFailed = "user.sign-in-failed";
    public const string LockedOut = "user.locked-out";
    public const string UserAdded = "user.add";
    public const string PasswordReset = "user.reset-password";
    public const string UserLocked = "user.lock";
    public const string UserUnlocked = "user.unlock";
    public const string UserRemoved = "user.remove";
    public const string AccessChanged = "user.access";
    /// <summary>A grant reached its expiry and was removed (recorded by the system, on the application).</summary>
    public const string AccessLapsed = "access.lapse";
    public const string ViewAsStarted = "access.view-as-start";
    public const string ViewAsStopped = "access.view-as-stop";
    /// <summary>A view-as session ended by itself: its time limit, or the administrator is no longer one (recorded by the system).</summary>
    public const string ViewAsEnded = "access.view-as-end";
    public const string TwoFactorEnabled = "user.two-factor-enable";
    public const string TwoFactorDisabled = "user.two-factor-disable";
    public const string AuthenticatorReset = "user.two-factor-reset";
    public const string RecoveryCodesGenerated = "user.recovery-codes";
    public const string TwoFactorSignIn = "user.sign-in-two-factor";
    public const string TwoFactorSignInFailed = "user.sign-in-two-factor-failed";
    public const string RecoveryCodeSignIn = "user.sign-in-recovery-code";

    public const string ApplicationCreated = "application.create";
    public const string ApplicationUpdated = "application.update";
    public const string ApplicationStatusChanged = "application.status";
    /// <summary>A user's access to one application changed (recorded on that application, beside the user's <see cref="AccessChanged"/>).</summary>
    public const string ApplicationAccessChanged = "application.access";

    public const string SubApplicationsEnabled = "account.enable-sub-applications";
    public const string BillingModeChanged = "account.billing-mode";
    public const string ServiceSuspended = "account.suspend";
    public const string ServiceResumed = "account.resume";
    public const string PackageRegistered = "package.register";
    public const string PackageCorrected = "package.correct";
    public const string PackageCancelled = "package.cancel";
    public const string ChargebackPricesChanged = "chargeback.prices";
    public const string BudgetChanged = "budget.change";
    /// <summary>An application's usage reached 80 or 100 % of a limit (recorded by the system, once per month and level).</summary>
    public const string BudgetThresholdReached = "budget.threshold";

    public const string MediaUploaded = "media.upload";
    public const string MediaPullQueued = "media.pull";
    public const string MediaUpdated = "media.update";
    public const string MediaCoverChanged = "media.cover";
    public const string MediaDeleted = "media.delete";
    public const string MediaMoved = "media.move";
    /// <summary>Media moved here from another application (recorded on the destination, beside the source's <see cref="MediaMoved"/>).</summary>
    public const string MediaMovedIn = "media.move-in";
    public const string MediaCategorised = "media.category";
    public const string CategoryCreated = "category.create";
    public const string CategoryRenamed = "category.rename";
    public const string CategoryDeleted = "category.delete";
    public const string PlaybackSettingsChanged = "playback.settings";
    public const string CallbackSettingsChanged = "callback.settings";
    public const string CallbackKeyRegenerated = "callback.regenerate-key";
    public const string CallbackTestSent = "callback.test";
    public const string CallbackReplayed = "callback.replay";

    public const string TranscodeTemplateCreated = "transcode-template.create";
    public const string TranscodeTemplateUpdated = "transcode-template.update";
    public const string TranscodeTemplateDeleted = "transcode-template.delete";
    public const string DefaultProcessingChanged = "transcoding.default";
    public const string TranscodeStarted = "transcode.start";
    public const string TranscodeCancelled = "transcode.cancel";
    public const string ReviewModeChanged = "review.mode";
    public const string MediaApproved = "review.approve";
    public const string MediaBlocked = "review.block";
    /// <summary>A blocked item approved again (it plays from then on).</summary>
    public const string MediaUnblocked = "review.unblock";

    /// <summary>Sections of another application's configuration (or a document) applied to an application: one entry per application.</summary>
    public const string ConfigurationApplied = "configuration.apply";

    public const string ApiKeyCreated = "api-key.create";
    public const string ApiKeyDisabled = "api-key.disable";
    public const string ApiKeyEnabled = "api-key.enable";
    public const string ApiKeyDeleted = "api-key.delete";

    public static IReadOnlyList<string> All { get; } =
    [
        SignIn, SignInFailed, LockedOut, UserAdded, PasswordReset, UserLocked, UserUnlocked, UserRemoved, AccessChanged,
        AccessLapsed, ViewAsStarted, ViewAsStopped, ViewAsEnded,
        TwoFactorEnabled, TwoFactorDisabled, AuthenticatorReset, RecoveryCodesGenerated,
        TwoFactorSignIn, TwoFactorSignInFailed, RecoveryCodeSignIn,
        ApplicationCreated, ApplicationUpdated, ApplicationStatusChanged, ApplicationAccessChanged,
        SubApplicationsEnabled, BillingModeChanged, ServiceSuspended, ServiceResumed, PackageRegistered, PackageCorrected, PackageCancelled,
        ChargebackPricesChanged, BudgetChanged, BudgetThresholdReached,
        MediaUploaded, MediaPullQueued, MediaUpdated, MediaCoverChanged, MediaDeleted, MediaMoved, MediaMovedIn, MediaCategorised,
        CategoryCreated, CategoryRenamed, CategoryDeleted, PlaybackSettingsChanged,
        ApiKeyCreated, ApiKeyDisabled, ApiKeyEnabled, ApiKeyDeleted,
        CallbackSettingsChanged, CallbackKeyRegenerated, CallbackTestSent, CallbackReplayed,
        TranscodeTemplateCreated, TranscodeTemplateUpdated, TranscodeTemplateDeleted, DefaultProcessingChanged, TranscodeStarted,
        TranscodeCancelled, ReviewModeChanged, MediaApproved, MediaBlocked, MediaUnblocked, ConfigurationApplied,
    ];
}
