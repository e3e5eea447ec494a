//! A generator of policy workloads: N rules over N/10 tools (at least 10) with typed arguments,
//! role grants, and allowlist, threshold, pattern, provenance and approval rules; and requests
//! that exercise them. Deterministic for a seed.

/// A small deterministic generator (xorshift64*).
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Tools for a policy of `rules` rules.
pub fn tool_count(rules: usize) -> usize {
    (rules / 10).max(10)
}

/// The `.agp` source of a policy with `rules` rules.
pub fn policy(rules: usize, seed: u64) -> String {
    let tools = tool_count(rules);
    let mut rng = Rng(seed);
    let mut out = String::with_capacity(rules * 140);
    out.push_str("policy bench.generated\n\nenum Env { dev, staging, prod }\n\n");
    out.push_str("const allowed_domains: Set<String> = {\"acme.com\", \"acme-corp.com\", \"partner.io\"}\n");
    out.push_str("const limit: Decimal = 1000.00\n\n");
    for t in 0..tools {
        out.push_str(&format!("tool t{t} {{ to: Email, amount: Decimal, target: String, count: Int = 1, env: Env, note: String? }}\n"));
    }
    for c in 0..tools.div_ceil(10) {
        let members: Vec<String> = (c * 10..(c * 10 + 10).min(tools)).map(|t| format!("t{t}")).collect();
        out.push_str(&format!("capability cap{c} {{ {} }}\ngrant cap{c} to role \"role{}\"\n", members.join(", "), c % 50));
    }
    out.push('\n');
    for i in 0..rules {
        let t = rng.below(tools);
        let n = i % 97;
        let body = match i % 5 {
            0 => format!("block \"domain_{i}\" severity high when args.to.domain not in allowed_domains and args.count > {n}"),
            1 => format!("require_approval \"amount_{i}\" approvers [\"finance\"] when args.amount > limit + {n}"),
            2 => format!("block \"pattern_{i}\" when args.target.matches(r\"^(rm|drop|delete)-[a-z]+{n}$\")"),
            3 => format!("block \"provenance_{i}\" when provenance(args.to) in {{retrieved, tool_output}} and args.count > {n}"),
            _ => format!("require_approval \"prod_{i}\" when args.env == prod and agent.roles contains \"role{n}\""),
        };
        out.push_str(&format!("rule r{i} on evaluate t{t} {{\n  {body}\n}}\n"));
    }
    out
}

/// `count` evaluate requests against a policy of `rules` rules, as JSON.
pub fn requests(rules: usize, count: usize, seed: u64) -> Vec<String> {
    let tools = tool_count(rules);
    let mut rng = Rng(seed ^ 0x5555);
    let domains = ["acme.com", "partner.io", "evil.io", "gmail.com"];
    let targets = ["rm-rf", "drop-table", "deploy-app", "restart"];
    let envs = ["dev", "staging", "prod"];
    let provs = ["user", "retrieved", "tool_output", "unknown"];
    (0..count)
        .map(|i| {
            let t = rng.below(tools);
            format!(
                r#"{{"phase":"evaluate","correlation_id":"b{i}","agent":{{"id":"bot","roles":["role{}"]}},"call":{{"tool":"t{t}","source":"user","args":{{"to":"u{}@{}","amount":{}.{:02},"target":"{}{}","count":{},"env":"{}"}},"provenance":{{"to":"{}"}}}}}}"#,
                (t / 10) % 50,
                rng.below(100),
                domains[rng.below(domains.len())],
                rng.below(3000),
                rng.below(100),
                targets[rng.below(targets.len())],
                rng.below(97),
                rng.below(120),
                envs[rng.below(envs.len())],
                provs[rng.below(provs.len())],
            )
        })
        .collect()
}
