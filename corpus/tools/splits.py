"""Stable ids and balanced dev/test splits shared by all corpus builders."""

import hashlib
from collections import defaultdict

CATEGORY_ABBR = {}


def make_id(prefix: str, category: str, text: str) -> str:
    """Content-derived id: the same text in the same category always gets the same id."""
    h = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    return f"{prefix}-{category}-{h}"


def assign_splits(records):
    """Within each (label, category) group, order records by sha256(id) and alternate
    dev/test. Deterministic, independent of file order, and balanced to within one record."""
    groups = defaultdict(list)
    for r in records:
        groups[(r["label"], r["category"])].append(r)
    for group in groups.values():
        group.sort(key=lambda r: hashlib.sha256(("split:" + r["id"]).encode()).hexdigest())
        for i, r in enumerate(group):
            r["split"] = "dev" if i % 2 == 0 else "test"
