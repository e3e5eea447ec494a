#!/usr/bin/env python3
"""Generates a large, clean .agp policy set for front-end benchmarks.

    python3 bench/gen_policy.py --rules 10000 --tools 1000 OUT_DIR

Tools have typed arguments (strings, emails, decimals, ints, enums); every tool is granted
through a capability; rules mix allowlists, thresholds, regexes, provenance and approvals."""
import argparse, pathlib, random

ap = argparse.ArgumentParser()
ap.add_argument("--rules", type=int, default=10000)
ap.add_argument("--tools", type=int, default=1000)
ap.add_argument("--seed", type=int, default=7)
ap.add_argument("out")
a = ap.parse_args()
rng = random.Random(a.seed)
out = pathlib.Path(a.out)
out.mkdir(parents=True, exist_ok=True)
lines = ["policy bench.generated", "", "enum Env { dev, staging, prod }", ""]
lines.append('const allowed_domains: Set<String> = {"acme.com", "acme-corp.com", "partner.io"}')
lines.append("const limit: Decimal = 1000.00")
lines.append("")
for t in range(a.tools):
    lines.append(f"tool t{t} {{ to: Email, amount: Decimal, target: String, count: Int = 1, env: Env, note: String? }}")
caps = max(1, a.tools // 10)
for c in range(caps):
    members = ", ".join(f"t{t}" for t in range(c * 10, min(a.tools, c * 10 + 10)))
    lines.append(f"capability cap{c} {{ {members} }}")
    lines.append(f'grant cap{c} to role "role{c % 50}"')
lines.append("")
shapes = [
    'block "domain_{i}" severity high when args.to.domain not in allowed_domains',
    'require_approval "amount_{i}" approvers ["finance"] when args.amount > limit + {n}',
    'block "pattern_{i}" when args.target.matches(r"^(rm|drop|delete)-[a-z]+{n}$")',
    'block "provenance_{i}" when provenance(args.to) in {{retrieved, tool_output}} and args.count > {n}',
    'require_approval "prod_{i}" when args.env == prod and agent.roles contains "role{n}"',
]
for i in range(a.rules):
    t = rng.randrange(a.tools)
    shape = shapes[i % len(shapes)].format(i=i, n=i % 97)
    lines.append(f"rule r{i} on evaluate t{t} {{\n  {shape}\n}}")
(out / "policy.agp").write_text("\n".join(lines) + "\n")
print(f"wrote {out/'policy.agp'}: {a.rules} rules over {a.tools} tools")
