//! Which arguments a rule's conditions read. An effect whose condition reads only `args.x`
//! forms needs only those arguments decoded to be explained; the fast path from JSON text
//! (`text_decision.rs`) decodes no others (a string argument decoded is an allocation, and
//! most conditions read one or two of a tool's arguments).

use crate::ir::{Binding, Node, NodeId};
use crate::policy::Policy;

/// The arguments one condition reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArgsRead {
    /// Only `args.x` for these names (indices into `policy.names`), in no particular order.
    Names(Box<[u32]>),
    /// `args` itself, as a whole value (every argument is needed).
    All,
}

/// For each rule and each of its effects, the arguments its condition reads (an effect
/// without a condition reads none).
pub fn effect_reads(policy: &Policy) -> Vec<Vec<ArgsRead>> {
    let mut seen = vec![false; policy.nodes.len()];
    let mut walked = Vec::new();
    policy
        .rules
        .iter()
        .map(|rule| {
            rule.effects
                .iter()
                .map(|effect| {
                    let Some(condition) = &effect.condition else { return ArgsRead::Names(Box::new([])) };
                    // Only the nodes the last walk marked are cleared (linear in the policy overall).
                    walked.drain(..).for_each(|n: NodeId| seen[n as usize] = false);
                    let mut names = Vec::new();
                    if reads(policy, condition.node, &mut seen, &mut walked, &mut names) {
                        names.sort_unstable();
                        names.dedup();
                        ArgsRead::Names(names.into_boxed_slice())
                    } else {
                        ArgsRead::All
                    }
                })
                .collect()
        })
        .collect()
}

/// Adds to `names` the arguments read as `args.x` under `node`; false when `args` is read
/// some other way. `seen` marks nodes already walked (the graph shares nodes), `walked` lists
/// them.
fn reads(policy: &Policy, node: NodeId, seen: &mut [bool], walked: &mut Vec<NodeId>, names: &mut Vec<u32>) -> bool {
    let Some(done) = seen.get_mut(node as usize) else { return false };
    if *done {
        return true;
    }
    *done = true;
    walked.push(node);
    match policy.nodes.get(node as usize) {
        None | Some(Node::Binding(Binding::Args)) => false,
        Some(Node::ArgField(base, name)) if matches!(policy.nodes.get(*base as usize), Some(Node::Binding(Binding::Args))) => {
            names.push(*name);
            true
        }
        Some(other) => other.children().into_iter().all(|child| reads(policy, child, seen, walked, names)),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;
    use crate::ir::BinOp;
    use crate::policy::{Condition, Effect, EffectKind, Phase, Rule};
    use crate::value::Value;

    fn policy(nodes: Vec<Node>, conditions: Vec<Option<NodeId>>) -> Policy {
        let effects = conditions
            .into_iter()
            .map(|c| Effect {
                kind: EffectKind::Block,
                reason: "r".to_owned(),
                severity: 0,
                approvers: Vec::new(),
                condition: c.map(|node| Condition { node, text: String::new() }),
            })
            .collect();
        Policy { nodes, rules: vec![Rule { id: "m.r".to_owned(), module: 0, phase: Phase::Evaluate, effects }], ..Policy::default() }
    }

    #[test]
    fn a_condition_reads_the_arguments_it_names_and_no_others() {
        // 0 args, 1 args.a (name 4), 2 1000, 3 args.a > 1000, 4 args.b (name 2), 5 both,
        // 6 len(args) (args as a whole), 7 `args.b and len(args)`.
        let nodes = vec![
            Node::Binding(Binding::Args),
            Node::ArgField(0, 4),
            Node::Lit(Value::Int(1000)),
            Node::Binary(BinOp::Gt, 1, 2),
            Node::ArgField(0, 2),
            Node::Binary(BinOp::Or, 3, 4),
            Node::Call(crate::ir::Builtin::Len, vec![0]),
            Node::Binary(BinOp::And, 4, 6),
        ];
        let p = policy(nodes, vec![Some(3), Some(5), None, Some(2), Some(7)]);
        let reads = effect_reads(&p);
        let names = |n: &[u32]| ArgsRead::Names(n.into());
        assert_eq!(reads, vec![vec![names(&[4]), names(&[2, 4]), names(&[]), names(&[]), ArgsRead::All]]);
    }
}
