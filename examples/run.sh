#!/usr/bin/env bash
# Checks, tests and evaluates every example policy set.
#
#   examples/run.sh [PATH/TO/aisecops]      (default: target/release/aisecops)
#
# For each example directory, in sorted order: `check --deny-warnings`, `test`, then
# `eval --jsonl` over its requests.jsonl, printing one line per decision:
#   <correlation_id>  <decision> <reason>  (<rule or capability>)
# Exits non-zero as soon as a check, a test run or an evaluation fails.
set -euo pipefail

bin="${1:-target/release/aisecops}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if [[ ! -x "$bin" ]]; then
  echo "run.sh: $bin is not an executable (build with \`cargo build --release\` or pass its path)" >&2
  exit 2
fi

export LC_ALL=C   # byte-wise sort order of the directory glob

for dir in "$here"/*/; do
  dir="${dir%/}"
  compgen -G "$dir/*.agp" >/dev/null || continue   # not a policy set
  name="$(basename "$dir")"
  echo "== $name =="
  "$bin" check --deny-warnings "$dir"
  "$bin" test "$dir"
  if [[ -f "$dir/requests.jsonl" ]]; then
    "$bin" eval --policy "$dir" --jsonl --request "$dir/requests.jsonl" | python3 -c '
import json, sys
for line in sys.stdin:
    if not line.strip():
        continue
    d = json.loads(line)
    if "decision" not in d:  # a malformed-request error object, not a decision
        print("?  ERROR %s  (%s)" % (d.get("error", ""), d.get("message", "")))
        continue
    where = d.get("rule") or d.get("capability") or ""
    print("%s  %s %s  (%s)" % (d.get("correlation_id", ""), d["decision"], d.get("reason", ""), where))
'
  fi
done
