//! Property test: printing a parsed AST and parsing the text again gives the same AST.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use aisecops_compiler::ast::*;
use aisecops_compiler::decimal::Decimal;
use aisecops_compiler::span::Span;
use aisecops_compiler::syntax::{parse, print_file};
use proptest::prelude::*;

fn ident() -> impl Strategy<Value = Ident> {
    prop::sample::select(vec!["alpha", "beta", "send_email", "args", "amount", "x", "max_transfer", "Tier", "domain"])
        .prop_map(|s| Ident { name: s.to_owned(), span: Span::default() })
}

/// Field names may be keywords: the lexer demotes them after `.` and before `:`.
fn field_name() -> impl Strategy<Value = Ident> {
    prop::sample::select(vec!["to", "tool", "text", "provenance", "domain", "plan", "roles", "amount", "source"])
        .prop_map(|s| Ident { name: s.to_owned(), span: Span::default() })
}

fn name_expr() -> impl Strategy<Value = Ident> {
    prop_oneof![
        ident(),
        prop::sample::select(vec!["agent", "tenant", "session", "input", "plan", "provenance"])
            .prop_map(|s| Ident { name: s.to_owned(), span: Span::default() })
    ]
}

fn e(kind: ExprKind) -> Expr {
    Expr::new(kind, Span::default())
}

fn leaf() -> impl Strategy<Value = Expr> {
    prop_oneof![
        any::<bool>().prop_map(|b| e(ExprKind::Bool(b))),
        (0i64..1_000_000).prop_map(|i| e(ExprKind::Int(i))),
        (0i64..100_000_000).prop_map(|d| e(ExprKind::Decimal(Decimal(d)))),
        "[ -~]{0,12}".prop_map(|s| e(ExprKind::Str(s))),
        "[a-z0-9.*+]{0,8}".prop_map(|s| e(ExprKind::Regex(s))),
        (0i64..10_000_000).prop_map(|d| e(ExprKind::Duration(d))),
        name_expr().prop_map(|n| e(ExprKind::Name(n))),
    ]
}

fn binop() -> impl Strategy<Value = BinOp> {
    prop::sample::select(vec![
        BinOp::Or,
        BinOp::And,
        BinOp::Eq,
        BinOp::Ne,
        BinOp::Lt,
        BinOp::Le,
        BinOp::Gt,
        BinOp::Ge,
        BinOp::In,
        BinOp::NotIn,
        BinOp::Contains,
        BinOp::Add,
        BinOp::Sub,
        BinOp::Mul,
    ])
}

fn expr() -> impl Strategy<Value = Expr> {
    leaf().prop_recursive(5, 48, 4, |inner| {
        prop_oneof![
            (binop(), inner.clone(), inner.clone()).prop_map(|(op, a, b)| e(ExprKind::Binary(op, Box::new(a), Box::new(b)))),
            inner.clone().prop_map(|x| e(ExprKind::Unary(UnOp::Not, Box::new(x)))),
            inner.clone().prop_map(|x| e(ExprKind::Unary(UnOp::Neg, Box::new(x)))),
            (inner.clone(), field_name()).prop_map(|(x, f)| e(ExprKind::Field(Box::new(x), f))),
            (inner.clone(), inner.clone(), inner.clone()).prop_map(|(c, a, b)| e(ExprKind::If(Box::new(c), Box::new(a), Box::new(b)))),
            prop::collection::vec(inner.clone(), 0..3).prop_map(|xs| e(ExprKind::List(xs))),
            prop::collection::vec(inner.clone(), 0..3).prop_map(|xs| e(ExprKind::Set(xs))),
            prop::collection::vec((field_name(), inner.clone()), 1..3)
                .prop_map(|fs| e(ExprKind::Record(fs.into_iter().map(|(name, value)| FieldInit { name, value }).collect()))),
            (ident(), prop::collection::vec(inner.clone(), 0..3))
                .prop_map(|(f, args)| e(ExprKind::Call(Box::new(e(ExprKind::Name(f))), args))),
            (inner.clone(), ident(), inner.clone()).prop_map(|(xs, p, body)| {
                let callee = e(ExprKind::Name(Ident { name: "any".into(), span: Span::default() }));
                e(ExprKind::Call(Box::new(callee), vec![xs, e(ExprKind::Lambda(p, Box::new(body)))]))
            }),
        ]
    })
}

fn ty() -> impl Strategy<Value = TypeExpr> {
    let named = prop::sample::select(vec!["String", "Int", "Decimal", "Email", "Customer"]).prop_map(|n| TypeExpr::Named {
        name: Ident { name: n.into(), span: Span::default() },
        args: vec![],
        span: Span::default(),
    });
    named.prop_recursive(2, 6, 1, |inner| {
        prop_oneof![
            inner.clone().prop_map(|t| match t {
                TypeExpr::Optional(..) => t,
                t => TypeExpr::Optional(Box::new(t), Span::default()),
            }),
            (prop::sample::select(vec!["List", "Set"]), inner).prop_map(|(n, t)| TypeExpr::Named {
                name: Ident { name: n.into(), span: Span::default() },
                args: vec![t],
                span: Span::default()
            }),
        ]
    })
}

fn strlit() -> impl Strategy<Value = StrLit> {
    "[ -~\\n\\t]{0,10}".prop_map(|value| StrLit { value, span: Span::default() })
}

fn effect() -> impl Strategy<Value = Effect> {
    (
        prop::sample::select(vec![EffectKind::Block, EffectKind::RequireApproval, EffectKind::Sanitize]),
        strlit(),
        prop::option::of(ident()),
        prop::option::of(prop::collection::vec(strlit(), 0..3)),
        prop::option::of(expr()),
    )
        .prop_map(|(kind, reason, severity, approvers, condition)| {
            let mut options = Vec::new();
            if let Some(s) = severity {
                options.push(EffectOption::Severity(s));
            }
            if let Some(a) = approvers {
                options.push(EffectOption::Approvers(a, Span::default()));
            }
            Effect { kind, kind_span: Span::default(), reason, options, condition, span: Span::default() }
        })
}

fn item() -> impl Strategy<Value = Item> {
    let modifier = prop::option::of(Just(Ident { name: "sensitive".to_owned(), span: Span::default() }));
    let field = (modifier, field_name(), ty(), prop::option::of(expr())).prop_map(|(modifier, name, ty, default)| FieldDecl {
        modifier,
        name,
        ty,
        default,
        span: Span::default(),
    });
    let phase = prop::sample::select(Phase::ALL.to_vec());
    prop_oneof![
        (ident(), prop::collection::vec(field, 0..4), prop::option::of(ty())).prop_map(|(name, params, result)| Item::Tool(ToolDecl {
            name,
            params,
            result,
            span: Span::default()
        })),
        (ident(), prop::collection::vec(ident(), 0..4)).prop_map(|(name, tools)| Item::Capability(CapabilityDecl {
            name,
            tools,
            span: Span::default()
        })),
        (prop::collection::vec(ident(), 1..3), prop::collection::vec((any::<bool>(), strlit()), 1..3), prop::option::of(expr())).prop_map(
            |(capabilities, ps, condition)| Item::Grant(GrantDecl {
                capabilities,
                principals: ps
                    .into_iter()
                    .map(|(role, name)| Principal { kind: if role { PrincipalKind::Role } else { PrincipalKind::Agent }, name })
                    .collect(),
                condition,
                span: Span::default(),
            })
        ),
        (ident(), ty(), expr()).prop_map(|(name, ty, value)| Item::Const(ConstDecl { name, ty, value, span: Span::default() })),
        (ident(), phase, prop::collection::vec(ident(), 0..3), prop::collection::vec(effect(), 1..3)).prop_map(
            |(name, phase, targets, effects)| {
                Item::Rule(RuleDecl { name, phase, phase_span: Span::default(), targets, effects, span: Span::default() })
            }
        ),
        (ident(), prop::collection::vec(ident(), 0..4)).prop_map(|(name, variants)| Item::Enum(EnumDecl {
            name,
            variants,
            span: Span::default()
        })),
        (strlit(), ident(), prop::collection::vec((field_name(), expr()), 0..3)).prop_map(|(name, tool, args)| Item::Test(TestDecl {
            name,
            statements: vec![
                TestStmt::Agent { id: StrLit { value: "bot".into(), span: Span::default() }, roles: vec![], span: Span::default() },
                TestStmt::Evaluate {
                    tool,
                    args: args.into_iter().map(|(name, value)| FieldInit { name, value }).collect(),
                    source: None,
                    span: Span::default()
                },
                TestStmt::Expect(Expectation { outcome: Outcome::Block, reason: None }, Span::default()),
            ],
            span: Span::default(),
        })),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, .. ProptestConfig::default() })]

    #[test]
    fn printed_ast_reparses_to_the_same_ast(items in prop::collection::vec(item(), 0..6)) {
        let mut all = vec![Item::Policy(DottedName { parts: vec![Ident { name: "gen".into(), span: Span::default() }], span: Span::default() })];
        all.extend(items);
        let file = File { items: all };
        let text = print_file(&file);
        let parsed = parse(&text);
        prop_assert!(parsed.diagnostics.is_empty(), "diagnostics {:?} for\n{}", parsed.diagnostics, text);
        prop_assert_eq!(&parsed.file, &file, "text:\n{}", text);
    }
}

#[test]
fn examples_round_trip() {
    let source = include_str!("../../examples/payments/payments.agp");
    let first = parse(source);
    assert!(first.diagnostics.is_empty());
    let again = parse(&print_file(&first.file));
    assert!(again.diagnostics.is_empty());
    assert_eq!(again.file, first.file);
}
