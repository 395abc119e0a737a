using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VodConsole.Core.Access;
using VodConsole.Core.Data;
using VodConsole.Core.Network;

namespace VodConsole.Core.Callbacks;

/// <summary>
/// Pushes events: claims a due one with a conditional update (so two workers or servers never send the same attempt),
/// POSTs the signed payload through <see cref="OutboundHttp"/>, records the attempt, and schedules the next one with
/// backoff until a 2xx arrives or the attempts run out. Every due time is in the database, so a restart resumes.
/// </summary>
public sealed class CallbackDelivery(
    ApplicationData data, IHttpClientFactory httpClients, IOptions<CallbackOptions> options, IDataProtectionProvider dataProtection,
    AccessPolicy access, TimeProvider clock, ILogger<CallbackDelivery> logger)
{
    /// <summary>At most this many bytes of a response are read for its excerpt; the rest is never downloaded.</summary>
    private const int ExcerptBytes = 4096;
    /// <summary>A failure not worth retrying: the application no longer wants pushes.</summary>
    private const string PushOffMessage = "Push callbacks are no longer on for this application (or it has no URL), so the event was not sent.";

    private readonly IDataProtector protector = CallbackKeys.Protector(dataProtection);
    private CallbackOptions Options => options.Value;

    /// <summary>Claims the push event that has been due longest and returns it, or null when none is due.</summary>
    public async Task<CallbackEvent?> ClaimNextAsync(CancellationToken ct = default)
    {
        access.RequireSystem();
        while (true)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            CallbackEvent? next;
            // System-wide only to find the next due event; it is then claimed and recorded in its application's context.
            await using (var queue = await data.OpenSystemWideAsync(ct))
            {
                next = await Due(queue.CallbackEvents.AsNoTracking(), now).OrderBy(e => e.NextAttemptAt).ThenBy(e => e.Id).FirstOrDefaultAsync(ct);
            }
            if (next is null)
            {
                return null;
            }

            var token = Guid.NewGuid();
            var until = now + Options.ClaimDuration;
            await using var db = await data.OpenForAsync(next.ApplicationId, ct);
            var claimed = await Due(db.CallbackEvents, now).Where(e => e.Id == next.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.ClaimToken, token).SetProperty(e => e.ClaimedUntil, until), ct);
            if (claimed == 1)
            {
                next.ClaimToken = token;
                next.ClaimedUntil = until;
                return next;
            }
        }
    }

    /// <summary>
    /// Gives back the claims of pushes a crash interrupted, so they are sent again at once instead of when the claim runs
    /// out (a minute and more). The receiver may have got the event already: delivery is at least once, with the same
    /// event ID. Call once at start, before the delivery worker runs; returns how many claims were given back.
    /// </summary>
    public async Task<int> ReleaseInterruptedClaimsAsync(CancellationToken ct = default)
    {
        access.RequireSystem();
        // System-wide on purpose: start-up recovery serves every application and changes only the claims.
        await using var db = await data.OpenSystemWideAsync(ct);
        return await db.CallbackEvents
            .Where(e => e.ClaimedUntil != null && (e.State == CallbackEventState.Pending || e.State == CallbackEventState.Retrying))
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.ClaimToken, (Guid?)null).SetProperty(e => e.ClaimedUntil, (DateTime?)null), ct);
    }

    /// <summary>Makes one attempt for a claimed event and records it; a server stopping meanwhile gives the claim back.</summary>
    public async Task<CallbackAttempt?> DeliverAsync(CallbackEvent claimed, CancellationToken ct = default)
    {
        access.RequireSystem();
        var started = clock.GetUtcNow().UtcDateTime;
        CallbackAttempt attempt;
        bool final;
        try
        {
            (attempt, final) = await SendAsync(claimed, started, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await ReleaseAsync(claimed);
            throw;
        }
        return await RecordAsync(claimed, attempt, final, ct) ? attempt : null;
    }

    private static IQueryable<CallbackEvent> Due(IQueryable<CallbackEvent> events, DateTime now) =>
        events.Where(e => e.Delivery == CallbackMode.Push
            && (e.State == CallbackEventState.Pending || e.State == CallbackEventState.Retrying)
            && e.NextAttemptAt <= now
            && (e.ClaimedUntil == null || e.ClaimedUntil < now));

    /// <returns>The attempt, and whether it is the last: a failure no retry can change ends the event at once.</returns>
    private async Task<(CallbackAttempt Attempt, bool Final)> SendAsync(CallbackEvent e, DateTime started, CancellationToken ct)
    {
        var attempt = new CallbackAttempt { ApplicationId = e.ApplicationId, EventId = e.Id, Number = e.Attempts + 1, StartedAt = started };
        CallbackSettings? settings;
        await using (var db = await data.OpenForAsync(e.ApplicationId, ct))
        {
            settings = await db.CallbackSettings.AsNoTracking().SingleOrDefaultAsync(ct);
        }
        if (settings is not { Mode: CallbackMode.Push, Url: { } url, ProtectedKey: { } protectedKey })
        {
            attempt.Error = PushOffMessage;
            return (attempt, true);
        }

        var body = CallbackPayload.Envelope(e);
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        var eventId = e.Id.ToString(CultureInfo.InvariantCulture);
        // The same on every attempt of the event (and after a restart), so a receiver can drop a second delivery.
        request.Headers.Add(CallbackSignature.EventIdHeader, eventId);
        request.Headers.Add(CallbackSignature.IdempotencyKeyHeader, eventId);
        if (e.ReplayOfId is { } original)
        {
            request.Headers.Add(CallbackSignature.ReplayOfHeader, original.ToString(CultureInfo.InvariantCulture));
        }
        request.Headers.Add(CallbackSignature.EventTypeHeader, e.Type.ToString());
        request.Headers.Add(CallbackSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(CallbackSignature.SignatureHeader, CallbackSignature.Sign(protector.Unprotect(protectedKey), timestamp, body));

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Options.Timeout);
        var stopwatch = Stopwatch.StartNew();
        var final = false;
        try
        {
            using var response = await httpClients.CreateClient(OutboundHttp.ClientName)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            attempt.StatusCode = (int)response.StatusCode;
            attempt.ResponseExcerpt = await ExcerptAsync(response, timeout.Token);
        }
        catch (Exception failure) when (!ct.IsCancellationRequested)
        {
            // The address policy refuses the same target on the next attempt too: retrying for an hour helps nobody.
            final = OutboundFailures.IsRefusedByPolicy(failure);
            attempt.Error = failure is OperationCanceledException
                ? $"No answer within {Options.Timeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} seconds."
                : OutboundFailures.Describe(failure);
            if (final)
            {
                attempt.Error += " Not retried: correct the URL or the setting, then replay the event.";
            }
            else if (attempt.Error is null)
            {
                attempt.Error = "The request failed before an answer arrived.";
                logger.LogWarning(failure, "Callback event {EventId} of application {ApplicationId}: attempt {Attempt} failed unexpectedly.",
                    e.Id, e.ApplicationId, attempt.Number);
            }
        }
        attempt.LatencyMs = (int)Math.Min(int.MaxValue, stopwatch.ElapsedMilliseconds);
        return (attempt, final);
    }

    /// <summary>The start of the body as plain text: control characters become spaces, at most 500 characters.</summary>
    private static async Task<string?> ExcerptAsync(HttpResponseMessage response, CancellationToken ct)
    {
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        var buffer = new byte[ExcerptBytes];
        var read = 0;
        int chunk;
        while (read < buffer.Length && (chunk = await body.ReadAsync(buffer.AsMemory(read), ct)) > 0)
        {
            read += chunk;
        }
        return Sanitize(Encoding.UTF8.GetString(buffer, 0, read));
    }

    /// <summary>Text safe to store and show: no control characters, runs of white space as one space, clipped.</summary>
    public static string? Sanitize(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        var clean = new StringBuilder(Math.Min(text.Length, CallbackEvent.ResultMaxLength));
        foreach (var c in text)
        {
            var ch = char.IsControl(c) || char.IsWhiteSpace(c) ? ' ' : c;
            if (ch == ' ' && (clean.Length == 0 || clean[^1] == ' '))
            {
                continue;
            }
            clean.Append(ch);
        }
        var result = clean.ToString().TrimEnd();
        if (result.Length > CallbackEvent.ResultMaxLength)
        {
            result = result[..(CallbackEvent.ResultMaxLength - 1)] + "…";
        }
        return result.Length == 0 ? null : result;
    }

    /// <summary>
    /// Saves the attempt and the event's new state together, if the claim still holds (the token is a concurrency
    /// token: a worker whose claim expired and was taken over records nothing).
    /// </summary>
    private async Task<bool> RecordAsync(CallbackEvent claimed, CallbackAttempt attempt, bool final, CancellationToken ct)
    {
        await using var db = await data.OpenForAsync(claimed.ApplicationId, ct);
        var e = await db.CallbackEvents.SingleOrDefaultAsync(x => x.Id == claimed.Id && x.ClaimToken == claimed.ClaimToken, ct);
        if (e is null)
        {
            logger.LogWarning("Callback event {EventId}: the claim expired before attempt {Attempt} was recorded.", claimed.Id, attempt.Number);
            return false;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        e.Attempts = attempt.Number;
        e.LastStatusCode = attempt.StatusCode;
        e.LastLatencyMs = attempt.LatencyMs;
        attempt.Error = Sanitize(attempt.Error);
        e.LastResult = Sanitize(attempt.Error ?? attempt.ResponseExcerpt);
        e.ClaimToken = null;
        e.ClaimedUntil = null;
        if (attempt.Succeeded)
        {
            (e.State, e.NextAttemptAt, e.CompletedAt) = (CallbackEventState.Delivered, null, now);
        }
        else if (final || e.Attempts >= Options.MaxAttempts)
        {
            (e.State, e.NextAttemptAt, e.CompletedAt) = (CallbackEventState.Failed, null, now);
        }
        else
        {
            (e.State, e.NextAttemptAt) = (CallbackEventState.Retrying, now + Options.Delays[e.Attempts - 1]);
        }
        db.CallbackAttempts.Add(attempt);
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            logger.LogWarning("Callback event {EventId}: another worker took over before attempt {Attempt} was recorded.", claimed.Id, attempt.Number);
            return false;
        }
    }

    /// <summary>The server is stopping mid-attempt: the event is due again at once for the next start (or another server).</summary>
    private async Task ReleaseAsync(CallbackEvent claimed)
    {
        await using var db = await data.OpenForAsync(claimed.ApplicationId);
        await db.CallbackEvents.Where(e => e.Id == claimed.Id && e.ClaimToken == claimed.ClaimToken)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.ClaimToken, (Guid?)null).SetProperty(e => e.ClaimedUntil, (DateTime?)null));
    }
}
