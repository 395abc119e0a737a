// The operator's time zone (IANA name), in which the access dialog takes and shows expiries.
export function timeZone() {
    return Intl.DateTimeFormat().resolvedOptions().timeZone;
}
