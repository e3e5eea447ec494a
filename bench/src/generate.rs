//! One workload, three languages: N rules over max(10, N/10) tools with typed arguments, role
//! grants (one capability per ten tools), and allowlist, threshold, pattern, provenance and
//! role-conditioned approval rules — written as `.agp`, as Cedar and as Rego — plus requests
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

const ALLOWED: [&str; 3] = ["acme.com", "acme-corp.com", "partner.io"];
const PREFIXES: [&str; 3] = ["rm-", "drop-", "delete-"];
/// The approval threshold before the per-rule offset.
const LIMIT: u64 = 1000;

/// One rule of the workload.
#[derive(Clone, Copy)]
pub enum Rule {
    /// Block mail to a domain outside the allowlist when `count > n`.
    Domain { tool: usize, n: u64 },
    /// Approval when `amount > LIMIT + n`.
    Amount { tool: usize, n: u64 },
    /// Block a target starting with a destructive prefix.
    Pattern { tool: usize, prefix: &'static str },
    /// Block a recipient that came from retrieved content or tool output when `count > n`.
    Provenance { tool: usize, n: u64 },
    /// Approval for `prod` when the agent has a given role.
    ProdRole { tool: usize, role: u64 },
}

impl Rule {
    pub fn is_approval(self) -> bool {
        matches!(self, Rule::Amount { .. } | Rule::ProdRole { .. })
    }
}

/// A generated workload.
pub struct Workload {
    pub tools: usize,
    pub rules: Vec<Rule>,
}

/// Tools for a workload of `rules` rules.
pub fn tool_count(rules: usize) -> usize {
    (rules / 10).max(10)
}

fn capability_of(tool: usize) -> usize {
    tool / 10
}

fn role_of_capability(cap: usize) -> usize {
    cap % 50
}

pub fn workload(rules: usize, seed: u64) -> Workload {
    let tools = tool_count(rules);
    let mut rng = Rng(seed);
    let rules = (0..rules)
        .map(|i| {
            let tool = rng.below(tools);
            let n = (i % 97) as u64;
            match i % 5 {
                0 => Rule::Domain { tool, n },
                1 => Rule::Amount { tool, n },
                2 => Rule::Pattern { tool, prefix: PREFIXES[i % 3] },
                3 => Rule::Provenance { tool, n },
                _ => Rule::ProdRole { tool, role: n },
            }
        })
        .collect();
    Workload { tools, rules }
}

impl Workload {
    fn capabilities(&self) -> usize {
        self.tools.div_ceil(10)
    }

    /// The `.agp` policy.
    pub fn agp(&self) -> String {
        let mut out = String::with_capacity(self.rules.len() * 140);
        out.push_str("policy bench.generated\n\nenum Env { dev, staging, prod }\n\n");
        out.push_str(&format!("const allowed_domains: Set<String> = {{{}}}\n", quoted(&ALLOWED)));
        out.push_str(&format!("const limit: Decimal = {LIMIT}.00\n\n"));
        for t in 0..self.tools {
            out.push_str(&format!("tool t{t} {{ to: Email, amount: Decimal, target: String, count: Int = 1, env: Env, note: String? }}\n"));
        }
        for c in 0..self.capabilities() {
            let members: Vec<String> = (c * 10..(c * 10 + 10).min(self.tools)).map(|t| format!("t{t}")).collect();
            out.push_str(&format!(
                "capability cap{c} {{ {} }}\ngrant cap{c} to role \"role{}\"\n",
                members.join(", "),
                role_of_capability(c)
            ));
        }
        out.push('\n');
        for (i, rule) in self.rules.iter().enumerate() {
            let (tool, body) = match *rule {
                Rule::Domain { tool, n } => {
                    (tool, format!("block \"domain_{i}\" severity high when args.to.domain not in allowed_domains and args.count > {n}"))
                }
                Rule::Amount { tool, n } => {
                    (tool, format!("require_approval \"amount_{i}\" approvers [\"finance\"] when args.amount > limit + {n}"))
                }
                Rule::Pattern { tool, prefix } => (tool, format!("block \"pattern_{i}\" when args.target.starts_with(\"{prefix}\")")),
                Rule::Provenance { tool, n } => {
                    (tool, format!("block \"provenance_{i}\" when provenance(args.to) in {{retrieved, tool_output}} and args.count > {n}"))
                }
                Rule::ProdRole { tool, role } => {
                    (tool, format!("require_approval \"prod_{i}\" when args.env == prod and agent.roles contains \"role{role}\""))
                }
            };
            out.push_str(&format!("rule r{i} on evaluate t{tool} {{\n  {body}\n}}\n"));
        }
        out
    }

    /// The Cedar policies, as two sets: access (a `permit` per granted tool, a `forbid` per
    /// blocking rule) and approvals (a `permit` per approval rule, asked only when access is
    /// allowed).
    pub fn cedar(&self) -> (String, String) {
        let mut access = String::with_capacity(self.rules.len() * 200);
        let mut approvals = String::new();
        for t in 0..self.tools {
            let role = role_of_capability(capability_of(t));
            access.push_str(&format!(
                "@id(\"grant_t{t}\")\npermit(principal, action == Action::\"call\", resource == Tool::\"t{t}\") when {{ context.roles.contains(\"role{role}\") }};\n"
            ));
        }
        let allowed = format!("[{}]", quoted(&ALLOWED));
        for (i, rule) in self.rules.iter().enumerate() {
            let (tool, condition) = match *rule {
                Rule::Domain { tool, n } => (tool, format!("!({allowed}.contains(context.to_domain)) && context.count > {n}")),
                Rule::Amount { tool, n } => (tool, format!("context.amount.greaterThan(decimal(\"{}.0\"))", LIMIT + n)),
                Rule::Pattern { tool, prefix } => (tool, format!("context.target like \"{prefix}*\"")),
                Rule::Provenance { tool, n } => {
                    (tool, format!("[\"retrieved\", \"tool_output\"].contains(context.provenance_to) && context.count > {n}"))
                }
                Rule::ProdRole { tool, role } => (tool, format!("context.env == \"prod\" && context.roles.contains(\"role{role}\")")),
            };
            let (out, effect) = if rule.is_approval() { (&mut approvals, "permit") } else { (&mut access, "forbid") };
            out.push_str(&format!(
                "@id(\"r{i}\")\n{effect}(principal, action == Action::\"call\", resource == Tool::\"t{tool}\") when {{ {condition} }};\n"
            ));
        }
        (access, approvals)
    }

    /// The Rego policy: `decision` is `block`, `approval` or `allow`.
    pub fn rego(&self) -> String {
        let mut out = String::with_capacity(self.rules.len() * 160);
        out.push_str("package bench\n\nimport rego.v1\n\n");
        out.push_str(&format!("allowed_domains := {{{}}}\n\n", quoted(&ALLOWED)));
        let grants: Vec<String> = (0..self.tools).map(|t| format!("\"t{t}\": \"role{}\"", role_of_capability(capability_of(t)))).collect();
        // One entry per line: regorus limits line width.
        out.push_str(&format!("grants := {{\n  {}\n}}\n\n", grants.join(",\n  ")));
        out.push_str("granted if {\n  grants[input.tool] in input.roles\n}\n\n");
        for rule in &self.rules {
            let (tool, head, body) = match *rule {
                Rule::Domain { tool, n } => (tool, "block", format!("not input.to_domain in allowed_domains; input.count > {n}")),
                Rule::Amount { tool, n } => (tool, "approval", format!("input.amount > {}", LIMIT + n)),
                Rule::Pattern { tool, prefix } => (tool, "block", format!("startswith(input.target, \"{prefix}\")")),
                Rule::Provenance { tool, n } => {
                    (tool, "block", format!("input.provenance_to in {{\"retrieved\", \"tool_output\"}}; input.count > {n}"))
                }
                Rule::ProdRole { tool, role } => (tool, "approval", format!("input.env == \"prod\"; \"role{role}\" in input.roles")),
            };
            // One line per rule: regorus limits a file to 20,000 lines.
            out.push_str(&format!("{head} if {{ input.tool == \"t{tool}\"; {body} }}\n"));
        }
        out.push_str("decision := \"block\" if {\n  not granted\n} else := \"block\" if {\n  block\n} else := \"approval\" if {\n  approval\n} else := \"allow\"\n");
        out
    }
}

fn quoted(items: &[&str]) -> String {
    items.iter().map(|s| format!("\"{s}\"")).collect::<Vec<_>>().join(", ")
}

/// One generated call, from which each engine's request is built.
pub struct Call {
    pub tool: usize,
    pub role: usize,
    pub to_local: usize,
    pub domain: &'static str,
    pub amount: String,
    pub target: &'static str,
    pub count: u64,
    pub env: &'static str,
    pub provenance: &'static str,
}

pub fn calls(workload: &Workload, count: usize, seed: u64) -> Vec<Call> {
    let mut rng = Rng(seed ^ 0x5555);
    let domains = ["acme.com", "partner.io", "evil.io", "gmail.com"];
    let targets = ["rm-rf", "drop-table", "deploy-app", "restart", "delete-all"];
    let envs = ["dev", "staging", "prod"];
    let provs = ["user", "retrieved", "tool_output", "unknown"];
    (0..count)
        .map(|_| {
            let tool = rng.below(workload.tools);
            // Most calls come from the granted role; some from another, to hit the gate.
            let role = if rng.below(10) == 0 { rng.below(50) } else { role_of_capability(capability_of(tool)) };
            Call {
                tool,
                role,
                to_local: rng.below(100),
                domain: domains[rng.below(domains.len())],
                amount: format!("{}.{:02}", rng.below(3000), rng.below(100)),
                target: targets[rng.below(targets.len())],
                count: rng.below(120) as u64,
                env: envs[rng.below(envs.len())],
                provenance: provs[rng.below(provs.len())],
            }
        })
        .collect()
}

impl Call {
    /// The aisecops request JSON.
    pub fn aisecops_json(&self, i: usize) -> String {
        format!(
            r#"{{"phase":"evaluate","correlation_id":"b{i}","agent":{{"id":"bot","roles":["role{}"]}},"call":{{"tool":"t{}","source":"user","args":{{"to":"u{}@{}","amount":{},"target":"{}","count":{},"env":"{}"}},"provenance":{{"to":"{}"}}}}}}"#,
            self.role, self.tool, self.to_local, self.domain, self.amount, self.target, self.count, self.env, self.provenance
        )
    }

    /// The flat input other engines read (with the recipient's domain split out, since Cedar
    /// has no string functions).
    pub fn flat_json(&self) -> String {
        format!(
            r#"{{"tool":"t{}","roles":["role{}"],"to":"u{}@{}","to_domain":"{}","amount":{},"target":"{}","count":{},"env":"{}","provenance_to":"{}"}}"#,
            self.tool, self.role, self.to_local, self.domain, self.domain, self.amount, self.target, self.count, self.env, self.provenance
        )
    }
}
