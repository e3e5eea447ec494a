#!/usr/bin/env python3
"""Quality checks and count tables for the corpus files.

    python3 corpus/tools/check_corpus.py            # checks; exit status 1 on any failure
    python3 corpus/tools/check_corpus.py --table    # also print the markdown count tables

Checks: every line parses as JSON with exactly the schema fields and valid values; ids are
unique across all files; no exact-duplicate texts within a file; 20 <= len(text) <= 2000
(CJK-only texts may be shorter); minimum counts per label and category; every source key is
documented in SOURCES.md (and has a licence file unless it is "authored"/"generated").  When
python-stdnum is installed, PII card/IBAN/SSN values are re-validated independently.
"""

import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIELDS = ["id", "text", "label", "category", "split", "source"]
SPEC = {
    "injection.jsonl": {
        "labels": {"injection", "benign"},
        "min_label": {"injection": 600, "benign": 600},
        "categories": {
            "injection": {"instruction_override": 40, "multilingual": 40, "jailbreak_persona": 40, "prompt_extraction": 40,
                          "tool_call_injection": 40, "hidden_markup": 40, "tool_poisoning": 40, "obfuscated": 40},
            "benign": {"security_article": 60, "code": 60, "customer_mail": 60, "ordinary": 60, "markup": 60,
                       "tool_descriptions": 60},
        },
    },
    "pii.jsonl": {
        "labels": {"pii", "clean"},
        "min_label": {"pii": 100, "clean": 100},
        "categories": {
            "pii": {"email": 20, "phone": 20, "card": 20, "iban": 20, "ssn": 20},
            "clean": {"card_invalid": 1, "iban_invalid": 1, "order_number": 1, "date": 1, "version_string": 1,
                      "ssn_invalid": 1, "ordinary": 1},
        },
    },
    "secrets.jsonl": {
        "labels": {"secret", "clean"},
        "min_label": {"secret": 100, "clean": 100},
        "categories": {
            "secret": {"aws_key": 1, "github_token": 1, "slack_token": 1, "stripe_key": 1, "google_api_key": 1,
                       "private_key": 1, "jwt": 1, "high_entropy": 1},
            "clean": {"uuid": 1, "git_sha": 1, "base64_words": 1, "public_key": 1, "placeholder": 1, "config_line": 1,
                      "lockfile_hash": 1, "ordinary": 1},
        },
    },
}
CJK = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]")


def load(name):
    rows = []
    with open(ROOT / name, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            rows.append((n, json.loads(line)))
    return rows


def check():
    errors = []
    all_ids = set()
    sources_md = (ROOT / "SOURCES.md").read_text(encoding="utf-8")
    tables = {}
    for name, spec in SPEC.items():
        rows = load(name)
        texts = set()
        label_c, cat_c = Counter(), Counter()
        table = defaultdict(Counter)
        for n, r in rows:
            where = f"{name}:{n}"
            if list(r.keys()) != FIELDS:
                errors.append(f"{where}: fields {list(r.keys())}")
                continue
            if not all(isinstance(r[k], str) and r[k] for k in FIELDS):
                errors.append(f"{where}: empty or non-string field")
            if r["label"] not in spec["labels"]:
                errors.append(f"{where}: label {r['label']}")
            if r["category"] not in spec["categories"].get(r["label"], {}):
                errors.append(f"{where}: category {r['category']} for label {r['label']}")
            if r["split"] not in ("dev", "test"):
                errors.append(f"{where}: split {r['split']}")
            if r["id"] in all_ids:
                errors.append(f"{where}: duplicate id {r['id']}")
            all_ids.add(r["id"])
            if r["text"] in texts:
                errors.append(f"{where}: duplicate text")
            texts.add(r["text"])
            L = len(r["text"])
            if L > 2000 or (L < 20 and not (CJK.search(r["text"]) and L >= 10)):
                errors.append(f"{where}: length {L}")
            if f"`{r['source']}`" not in sources_md:
                errors.append(f"{where}: source key {r['source']} not in SOURCES.md")
            if r["source"] not in ("authored", "generated") and not (ROOT / "licenses" / f"{r['source']}.txt").exists():
                errors.append(f"{where}: no licences/{r['source']}.txt")
            label_c[r["label"]] += 1
            cat_c[(r["label"], r["category"])] += 1
            table[(r["label"], r["category"])][r["split"]] += 1
            table[(r["label"], r["category"])]["src:" + r["source"]] += 1
        for lab, m in spec["min_label"].items():
            if label_c[lab] < m:
                errors.append(f"{name}: only {label_c[lab]} {lab} (< {m})")
        for lab, cats in spec["categories"].items():
            for cat, m in cats.items():
                if cat_c[(lab, cat)] < m:
                    errors.append(f"{name}: only {cat_c[(lab, cat)]} {lab}/{cat} (< {m})")
        tables[name] = (table, label_c, len(rows))
    errors += stdnum_check()
    return errors, tables


def stdnum_check():
    try:
        from stdnum import iban, luhn
        from stdnum.us import ssn
    except ImportError:
        print("python-stdnum not installed: skipping independent PII validation")
        return []
    errs = []
    for n, r in load("pii.jsonl"):
        t, c = r["text"], r["category"]
        if c in ("card", "card_invalid"):
            num = re.sub(r"\D", "", re.search(r"\d[\d -]{12,20}\d", t).group())
            if luhn.is_valid(num) != (c == "card"):
                errs.append(f"pii.jsonl:{n}: Luhn mismatch")
        if c in ("iban", "iban_invalid"):
            v = re.search(r"\b[A-Z]{2}\d{2}[A-Z0-9 ]{10,35}", t).group().strip()
            if iban.is_valid(v) != (c == "iban"):
                errs.append(f"pii.jsonl:{n}: IBAN mismatch {v}")
        if c in ("ssn", "ssn_invalid"):
            v = re.search(r"\d{3}-\d{2}-\d{4}", t).group()
            if ssn.is_valid(v) != (c == "ssn"):
                errs.append(f"pii.jsonl:{n}: SSN mismatch {v}")
    return errs


def print_tables(tables):
    for name, (table, label_c, total) in tables.items():
        print(f"\n### {name} ({total} records: " + ", ".join(f"{v} {k}" for k, v in sorted(label_c.items())) + ")\n")
        print("| label | category | total | dev | test | sources |")
        print("|---|---|---:|---:|---:|---|")
        for (lab, cat), c in sorted(table.items()):
            srcs = ", ".join(f"{k[4:]} {v}" for k, v in sorted(c.items()) if k.startswith("src:"))
            print(f"| {lab} | {cat} | {c['dev'] + c['test']} | {c['dev']} | {c['test']} | {srcs} |")


def main():
    errors, tables = check()
    if "--table" in sys.argv:
        print_tables(tables)
    for e in errors[:50]:
        print("ERROR", e)
    print(f"\n{len(errors)} problem(s)")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
