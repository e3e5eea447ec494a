#!/usr/bin/env bash
# Instructions `std.injection.detect` takes for two rounds of detector-bench's mixed-text row
# (the 2,329 corpus documents, 600,957 bytes, read twice: 1.2 MB): a `--mb 2` run (four
# rounds) less a `--mb 1` run (two), so start-up and the warm-up pass cancel out. Exact
# where the wall clock on these VMs moves by 30 %: the number to compare before and after a
# change, and to guard against regressions. Needs valgrind (installed here when missing) and
# a release build of the bench (`cargo build --release -p aisecops-bench`).
#
#   bench/instructions.sh [BINARY]    (default target/release/detector-bench)
set -euo pipefail
binary=${1:-target/release/detector-bench}
if ! command -v valgrind >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
total() {
    valgrind --tool=callgrind --callgrind-out-file="$out/cg.$1" "$binary" --mb "$1" --only injection.detect >/dev/null 2>&1
    callgrind_annotate "$out/cg.$1" 2>/dev/null | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }'
}
one=$(total 1)
two=$(total 2)
echo "$binary: $((two - one)) instructions for two rounds of the mixed-text row (1.2 MB)"
