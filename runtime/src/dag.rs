//! The decision DAG as a graph (petgraph): dispatch nodes (tenant → phase → tool), rule and
//! effect leaves, and the hash-consed expression nodes they read. Used to verify a loaded
//! policy (every reference in range, no cycles) and to draw it (`to_dot`).

use petgraph::algo::is_cyclic_directed;
use petgraph::graph::{DiGraph, NodeIndex};

use crate::policy::Policy;

/// Builds the expression graph: an edge from each node to each node it reads.
pub fn expression_graph(policy: &Policy) -> Result<DiGraph<u32, ()>, String> {
    let mut g = DiGraph::with_capacity(policy.nodes.len(), policy.nodes.len());
    let indices: Vec<NodeIndex> = (0..policy.nodes.len() as u32).map(|i| g.add_node(i)).collect();
    for (i, node) in policy.nodes.iter().enumerate() {
        for child in node.children() {
            let c = indices.get(child as usize).ok_or_else(|| format!("node {i} reads missing node {child}"))?;
            g.add_edge(indices[i], *c, ());
        }
    }
    Ok(g)
}

/// Checks that a policy's references are in range and its expression graph is acyclic.
pub fn verify(policy: &Policy) -> Result<(), String> {
    let n = policy.nodes.len() as u32;
    let graph = expression_graph(policy)?;
    if is_cyclic_directed(&graph) {
        return Err("the expression graph has a cycle".to_owned());
    }
    let check = |node: u32, what: &str| {
        if node < n {
            Ok(())
        } else {
            Err(format!("{what} reads missing node {node}"))
        }
    };
    for rule in &policy.rules {
        for effect in &rule.effects {
            if let Some(c) = &effect.condition {
                check(c.node, &rule.id)?;
            }
        }
    }
    for grant in &policy.grants {
        if let Some(c) = &grant.condition {
            check(c.node, "a grant")?;
        }
    }
    let rules = policy.rules.len() as u32;
    for scope in policy.global.iter().chain(&policy.tenant_scopes) {
        let all = scope.phase_rules.iter().flatten().chain(scope.tool_rules.iter().flatten());
        if let Some(r) = all.into_iter().find(|r| **r >= rules) {
            return Err(format!("dispatch names missing rule {r}"));
        }
        let grants = policy.grants.len() as u32;
        let capabilities = policy.capabilities.len() as u32;
        if scope.tool_grants.iter().flatten().any(|(g, c)| *g >= grants || *c >= capabilities) {
            return Err("dispatch names a missing grant or capability".to_owned());
        }
    }
    Ok(())
}

/// Graphviz text of the dispatch and rules (for `docs/` and debugging).
pub fn to_dot(policy: &Policy) -> String {
    let mut out = String::from("digraph policy {\n  rankdir=LR;\n");
    let scopes: Vec<(String, &crate::policy::Scope)> = match &policy.global {
        Some(s) => vec![("all requests".to_owned(), s)],
        None => policy.tenants.iter().cloned().zip(policy.tenant_scopes.iter()).collect(),
    };
    for (si, (name, scope)) in scopes.iter().enumerate() {
        out.push_str(&format!("  s{si} [label=\"tenant: {name}\", shape=box];\n"));
        for phase in crate::policy::Phase::ALL {
            let rules: Vec<u32> =
                if phase == crate::policy::Phase::Evaluate { Vec::new() } else { scope.phase_rules[phase.index()].clone() };
            if phase == crate::policy::Phase::Evaluate {
                for (tool, rules) in scope.tool_rules.iter().enumerate().filter(|(_, r)| !r.is_empty()) {
                    let tname = &policy.tools[tool].name;
                    out.push_str(&format!("  s{si} -> s{si}t{tool} [label=\"evaluate\"];\n  s{si}t{tool} [label=\"tool: {tname}\"];\n"));
                    for r in rules {
                        out.push_str(&format!("  s{si}t{tool} -> r{r};\n"));
                    }
                }
            }
            for r in rules {
                out.push_str(&format!("  s{si} -> r{r} [label=\"{}\"];\n", phase.as_str()));
            }
        }
    }
    for (i, rule) in policy.rules.iter().enumerate() {
        out.push_str(&format!("  r{i} [label=\"{}\", shape=ellipse];\n", rule.id));
    }
    out.push_str("}\n");
    out
}
