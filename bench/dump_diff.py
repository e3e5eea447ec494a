#!/usr/bin/env python3
"""Compare two builds of `detector-bench` on any texts, finding by finding.

    bench/dump_diff.py OLD NEW TEXTS [TEXTS ...]

TEXTS are files of texts: a JSON list of strings, or JSON lines with a "text" field (the
corpus's format). Both builds read the texts as their corpus (`--corpus DIR --dump`) and
print, per text, the score, the verdict, the findings with their spans, the redaction spans
and the pii and secrets verdicts. Texts whose lines differ are listed with the findings only
one build has. Exit status: 1 if NEW misses a finding OLD has, 2 if the outputs differ
otherwise, 0 if they are the same.

A change meant to be exact should leave every line the same; `--dump` alone compares the
corpus, this compares whatever texts a review or a generator makes.
"""

import collections
import json
import os
import re
import subprocess
import sys
import tempfile


def read_texts(path):
    with open(path, encoding="utf-8") as f:
        data = f.read()
    try:
        value = json.loads(data)
        if isinstance(value, list):
            return [str(t) for t in value]
    except json.JSONDecodeError:
        pass
    return [json.loads(line)["text"] for line in data.splitlines() if line.strip()]


def dump(binary, corpus):
    run = subprocess.run([binary, "--corpus", corpus, "--dump"], capture_output=True, check=False)
    if run.returncode != 0:
        sys.exit(f"{binary} failed ({run.returncode}): {run.stderr.decode('utf-8', 'replace')[:400]}")
    return run.stdout.decode("utf-8", "replace").splitlines()


def findings(line):
    """The findings of a dump line (the first bracketed list), counted."""
    found = re.search(r"\[(.*?)\] \[", line)
    return collections.Counter(re.findall(r'"([^"]+)"', found.group(1))) if found else collections.Counter()


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    old, new, files = sys.argv[1], sys.argv[2], sys.argv[3:]
    texts = [t for f in files for t in read_texts(f)]
    with tempfile.TemporaryDirectory() as corpus:
        with open(os.path.join(corpus, "injection.jsonl"), "w", encoding="utf-8") as f:
            for i, text in enumerate(texts):
                entry = {"id": f"t{i}", "text": text, "label": "injection", "category": "instruction_override", "split": "dev", "source": "dump_diff"}
                f.write(json.dumps(entry) + "\n")
        for name in ("pii.jsonl", "secrets.jsonl"):
            open(os.path.join(corpus, name), "w", encoding="utf-8").close()
        before, after = dump(old, corpus), dump(new, corpus)
    if len(before) != len(texts) or len(after) != len(texts):
        sys.exit(f"expected {len(texts)} lines, got {len(before)} and {len(after)}")
    missing, differing = 0, 0
    for text, a, b in zip(texts, before, after):
        if a == b:
            continue
        differing += 1
        lost, gained = findings(a) - findings(b), findings(b) - findings(a)
        missing += bool(lost)
        print(json.dumps(text, ensure_ascii=False))
        print(f"  missing in NEW: {sorted(lost)}  only in NEW: {sorted(gained)}")
        print(f"  OLD {a}\n  NEW {b}")
    print(f"{len(texts)} texts, {differing} differ, {missing} with findings missing in NEW")
    sys.exit(1 if missing else 2 if differing else 0)


if __name__ == "__main__":
    main()
