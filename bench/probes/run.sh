#!/usr/bin/env bash
# Runs the injection rules' patterns in Hyperscan (Vectorscan) over the mixed-text row's
# normalised documents, as they are and with their bounded gaps (`[^.!?\n]{0,40}?`) taken out,
# next to `detector-bench`'s own row. Needs the Debian package libvectorscan-dev (installed
# here when missing) and a release build of the bench (`cargo build --release -p aisecops-bench`).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${1:-/tmp/aisecops-probe}
if ! pkg-config --exists libhs; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libvectorscan-dev pkg-config
fi
mkdir -p "$out"
gcc -O2 -Wall "$here/hyperscan.c" -o "$out/hyperscan" $(pkg-config --cflags --libs libhs)
"$root/target/release/detector-bench" --export "$out"
sed -E 's/\[\^[^]]*\]\{[0-9]*,[0-9]+\}\??/ /g; s/\.\{[0-9]*,[0-9]+\}\??/ /g' "$out/patterns.tsv" > "$out/patterns-no-gaps.tsv"
echo "## the patterns as written"
"$out/hyperscan" "$out"
echo "## the patterns without their bounded gaps"
"$out/hyperscan" "$out" "$out/patterns-no-gaps.tsv"
echo "## aisecops, the whole of detect"
"$root/target/release/detector-bench" --mb 16 --only injection.detect | grep '^| std.injection'
