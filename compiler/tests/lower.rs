//! Lowering to the decision DAG: constants folded, shared conditions hash-consed into one
//! node, dispatch by tool so rules of other tools are never looked at.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use aisecops_compiler::lower::lower;
use aisecops_compiler::{check_set, SourceFile};
use aisecops_runtime::ir::{BinOp, Node};
use aisecops_runtime::value::Value;

const POLICY: &str = r#"
policy t.lower
tool send_email { to: Email, amount: Decimal }
tool other { x: Int }
capability c { send_email, other }
grant c to role "r"
const limit: Decimal = 100.00
const internal: Set<String> = {"acme.com"}
rule a on evaluate send_email { block "a" when args.to.domain not in internal }
rule b on evaluate send_email { require_approval "b" when args.to.domain == "partner.io" and args.amount > limit + 42 }
rule c on evaluate other { block "c" when args.x > 1 }
"#;

fn policy() -> aisecops_runtime::Policy {
    let checked = check_set(&[SourceFile { name: "t.agp".into(), text: POLICY.into() }]);
    assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
    lower(&checked).unwrap()
}

#[test]
fn constants_are_folded_into_literals() {
    let p = policy();
    let b = p.rules.iter().find(|r| r.id == "t.lower.b").unwrap();
    let root = b.effects[0].condition.as_ref().unwrap().node;
    let Node::Binary(BinOp::And, _, gt) = &p.nodes[root as usize] else { panic!("{:?}", p.nodes[root as usize]) };
    let Node::Binary(BinOp::Gt, _, rhs) = &p.nodes[*gt as usize] else { panic!() };
    assert_eq!(p.nodes[*rhs as usize], Node::Lit(Value::Decimal(1_420_000)));
}

#[test]
fn shared_subexpressions_are_one_node() {
    let p = policy();
    let domain_nodes: Vec<usize> =
        p.node_text.iter().enumerate().filter(|(_, t)| t.as_deref() == Some("args.to.domain")).map(|(i, _)| i).collect();
    assert_eq!(domain_nodes.len(), 1, "args.to.domain should be one node");
    let parents = p.nodes.iter().filter(|n| n.children().contains(&(domain_nodes[0] as u32))).count();
    assert_eq!(parents, 2);
}

#[test]
fn dispatch_is_by_tool() {
    let p = policy();
    let scope = p.global.as_ref().unwrap();
    let send = scope.tools["send_email"] as usize;
    let other = scope.tools["other"] as usize;
    let ids = |t: usize| scope.tool_rules[t].iter().map(|r| p.rules[*r as usize].id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(send), ["t.lower.a", "t.lower.b"]);
    assert_eq!(ids(other), ["t.lower.c"]);
    assert!(aisecops_runtime::dag::verify(&p).is_ok());
}
