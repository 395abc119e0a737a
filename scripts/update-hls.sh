#!/usr/bin/env bash
# Refreshes the pinned hls.js under src/VodConsole.Web/wwwroot/lib/hls.js/ from the npm registry, the way the Blazor
# template keeps Bootstrap: the minified ES module, its LICENSE and a VERSION note are committed, so building and
# running the console never needs node. Needs npm (only here). Usage: scripts/update-hls.sh [VERSION]  (default: the
# version in the VERSION note). Check the release notes, run the HLS playback tests, then commit the three files.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
target="$root/src/VodConsole.Web/wwwroot/lib/hls.js"
version="${1:-$(sed -n 's/^version: //p' "$target/VERSION")}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack --silent "hls.js@$version" >/dev/null)
tarball="$(ls "$work"/hls.js-*.tgz)"
tar -xzf "$tarball" -C "$work" package/dist/hls.min.mjs package/LICENSE package/package.json
packed="$(node -p "require('$work/package/package.json').version" 2>/dev/null || sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' "$work/package/package.json" | head -1)"

mkdir -p "$target"
cp "$work/package/dist/hls.min.mjs" "$target/hls.min.mjs"
cp "$work/package/LICENSE" "$target/LICENSE"
cat > "$target/VERSION" <<NOTE
package: hls.js
version: $packed
source: npm pack hls.js@$packed (https://www.npmjs.com/package/hls.js)
files: dist/hls.min.mjs (as hls.min.mjs), LICENSE
sha256: $(sha256sum "$target/hls.min.mjs" | cut -d' ' -f1)
refreshed by: scripts/update-hls.sh
NOTE
echo "hls.js $packed in $target"
