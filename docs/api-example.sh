#!/usr/bin/env bash
# Calls the VodConsole server API with curl, signing every request with openssl (the scheme: docs/api.md).
#
#   export VOD_API_URL=http://localhost:5080 VOD_KEY_ID=AKID... VOD_SECRET=...
#   docs/api-example.sh media [SUBAPPID]          # the first page of an application's media
#   docs/api-example.sh upload FILE [SUBAPPID]    # start an upload, PUT the file, commit it
#   docs/api-example.sh example                   # signs the worked example of docs/api.md and prints the signature
#
# SUBAPPID: absent = the key's own application (the primary one for an account key); 0 = the primary application.
# Needs bash, curl and openssl.
set -euo pipefail

sha256_hex() { openssl dgst -sha256 -hex | sed 's/^.* //'; }      # of standard input
hmac_sha256_hex() { printf '%s' "$2" | openssl dgst -sha256 -hex -hmac "$1" | sed 's/^.* //'; }

# sign METHOD PATH QUERY HOST TIMESTAMP NONCE BODY_SHA256 -> the signature (lower-case hex).
# QUERY must already be canonical: parameters sorted by name, names and values escaped as RFC 3986 asks.
sign() {
  local canonical string_to_sign
  canonical=$(printf '%s\n%s\n%s\nhost:%s\nx-vod-keyid:%s\nx-vod-nonce:%s\nx-vod-timestamp:%s\n%s' \
    "$1" "$2" "$3" "$(printf '%s' "$4" | tr '[:upper:]' '[:lower:]')" "$VOD_KEY_ID" "$6" "$5" "$7")
  string_to_sign=$(printf 'VOD-HMAC-SHA256\n%s\n%s' "$5" "$(printf '%s' "$canonical" | sha256_hex)")
  hmac_sha256_hex "$VOD_SECRET" "$string_to_sign"
}

# request METHOD PATH QUERY [BODY_FILE [CONTENT_TYPE]] -> prints the answer's body; fails on an HTTP error.
request() {
  local method=$1 path=$2 query=$3 body=${4:-} type=${5:-application/json}
  local host=${VOD_API_URL#*://}
  host=${host%%/*}
  local timestamp nonce body_sha256 signature
  timestamp=$(date +%s)
  nonce=$(openssl rand -hex 16)
  body_sha256=$(if [ -n "$body" ]; then sha256_hex < "$body"; else printf '' | sha256_hex; fi)
  signature=$(sign "$method" "$path" "$query" "$host" "$timestamp" "$nonce" "$body_sha256")
  local args=(-sS --fail-with-body -X "$method" "$VOD_API_URL$path${query:+?$query}"
    -H "X-Vod-KeyId: $VOD_KEY_ID" -H "X-Vod-Timestamp: $timestamp" -H "X-Vod-Nonce: $nonce"
    -H "X-Vod-Content-SHA256: $body_sha256" -H "X-Vod-Signature: $signature")
  if [ -n "$body" ]; then
    args+=(-H "Content-Type: $type" --data-binary "@$body")
  fi
  curl "${args[@]}"
}

json_field() { sed -n "s/.*\"$1\":\"\{0,1\}\([^\",}]*\).*/\1/p"; }   # a plain field of a one-line JSON answer

command=${1:-}
case "$command" in
  example)
    # The fixed inputs of docs/api.md's worked example.
    VOD_KEY_ID=AKIDEXAMPLE7n3Kq9ZfR2tW5yB8 VOD_SECRET=vodSecretEXAMPLE4p8Qw2Zr6Tn1Lx9Kb3Vm7Hc5Js0
    body_sha256=$(printf '%s' '{"MediaIds":[1001,1002]}' | sha256_hex)
    sign POST /api/v1/media/batch-get SubAppId=1500000123 vod.example.com 1767225600 5f2c8d1e9a7b4c3d "$body_sha256"
    ;;
  media)
    : "${VOD_API_URL:?set VOD_API_URL}" "${VOD_KEY_ID:?set VOD_KEY_ID}" "${VOD_SECRET:?set VOD_SECRET}"
    request GET /api/v1/media "${2:+SubAppId=$2}"
    echo
    ;;
  upload)
    : "${VOD_API_URL:?set VOD_API_URL}" "${VOD_KEY_ID:?set VOD_KEY_ID}" "${VOD_SECRET:?set VOD_SECRET}"
    file=${2:?give the file to upload}
    query="${3:+SubAppId=$3}"
    start=$(mktemp)
    trap 'rm -f "$start"' EXIT
    name=$(basename "$file" | sed 's/[\\"]/\\&/g')
    printf '{"FileName":"%s"}' "$name" > "$start"
    upload_id=$(request POST /api/v1/uploads "$query" "$start" | json_field UploadId)
    request PUT "/api/v1/uploads/$upload_id" "$query" "$file" application/octet-stream > /dev/null
    request POST "/api/v1/uploads/$upload_id/commit" "$query"
    echo
    ;;
  *)
    sed -n '2,10p' "$0" >&2
    exit 2
    ;;
esac
