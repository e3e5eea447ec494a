#!/usr/bin/env python3
"""Side-by-side timing of two builds of a harness, for noisy machines.

    bench/ab.py OLD NEW [--runs N] [--row NAME] [--column K] -- ARGS...

Runs `OLD ARGS` and `NEW ARGS` alternately N times (default 5), reads the number in column K
(default 2, counting from 1 after the row name: `detector-bench`'s
documents a second) of the markdown row whose first cell contains
NAME (default `std.injection.detect`), and prints every pair, the medians and their ratio.
Alternating runs see the same machine load, so the ratio is what to read; a single run's
absolute rate on these VMs moves by 10% and more.

Example (the session's first build copied aside, then rebuilt):

    cp target/release/detector-bench /tmp/detector-bench-base
    ... change, cargo build --release -p aisecops-bench ...
    bench/ab.py /tmp/detector-bench-base target/release/detector-bench -- --mb 16 --only injection.detect
"""

import statistics
import subprocess
import sys


def value(binary, args, row, column):
    out = subprocess.run([binary, *args], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) > column and row in cells[0]:
            return float(cells[column])
    sys.exit(f"no row containing {row!r} with a column {column} in the output of {binary}")


def main():
    argv = sys.argv[1:]
    if "--" not in argv or len(argv[: argv.index("--")]) < 2:
        sys.exit(__doc__)
    ours, args = argv[: argv.index("--")], argv[argv.index("--") + 1 :]
    old, new, options = ours[0], ours[1], ours[2:]
    runs, row, column = 5, "std.injection.detect", 2
    for flag, text in zip(options[::2], options[1::2]):
        if flag == "--runs":
            runs = int(text)
        elif flag == "--row":
            row = text
        elif flag == "--column":
            column = int(text)
        else:
            sys.exit(f"unknown option {flag}")
    olds, news = [], []
    for i in range(runs):
        olds.append(value(old, args, row, column))
        news.append(value(new, args, row, column))
        print(f"run {i + 1}: old {olds[-1]:g}  new {news[-1]:g}")
    a, b = statistics.median(olds), statistics.median(news)
    print(f"median: old {a:g}  new {b:g}  new/old {b / a:.3f}")


if __name__ == "__main__":
    main()
