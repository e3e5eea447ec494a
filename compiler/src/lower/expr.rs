//! Lowering typed expressions and values to the runtime's hash-consed nodes.

use std::sync::Arc;

use aisecops_runtime::ir::{Node, NodeId};
use aisecops_runtime::value::Value as RtValue;

use super::{normalise_space, Lowerer};
use crate::ast::UnOp;
use crate::check::program::{Binding, ModuleId, RecordOrigin, TExpr, TExprKind};
use crate::check::types::Ty;
use crate::check::value::Value;

impl Lowerer<'_> {
    /// The source text of an expression, for explanations.
    fn text(&self, module: ModuleId, e: &TExpr) -> String {
        let file = self.program.module(module).file;
        let source = &self.checked.files[file.0 as usize].text;
        normalise_space(source.get(e.span.start..e.span.end).unwrap_or(""))
    }

    /// The field name `index` of the record type of `base`, when it is an `args` record.
    fn args_field(&self, base: &TExpr, index: usize) -> Option<String> {
        let Ty::Record(r) = base.ty.unwrap_optional() else {
            return None;
        };
        let record = self.program.record(*r);
        (record.origin == RecordOrigin::Args).then(|| record.fields.get(index).map(|f| f.name.clone())).flatten()
    }

    pub(super) fn expr(&mut self, module: ModuleId, e: &TExpr) -> Result<NodeId, String> {
        // Constant folding: a subexpression that depends on nothing at run time (`limit + 42`,
        // `"A".lower()`) becomes one literal.
        if !matches!(e.kind, TExprKind::Lit(_) | TExprKind::Const(_)) {
            if let Some(v) = crate::check::value::fold(e, &self.program.consts) {
                let lit = Node::Lit(self.value(&v)?);
                return Ok(self.intern(lit, None));
            }
        }
        let node = match &e.kind {
            TExprKind::Lit(v) => Node::Lit(self.value(v)?),
            TExprKind::Const(id) => {
                let value = self.program.consts[id.0 as usize].value.as_ref().ok_or("internal: constant without a value")?;
                Node::Lit(self.value(value)?)
            }
            TExprKind::Binding(b) => {
                let text = (*b == Binding::Tenant).then(|| "tenant".to_owned());
                return Ok(self.intern(Node::Binding(*b), text));
            }
            TExprKind::Local(d) => Node::Local(*d),
            TExprKind::Field(base, index) => {
                let b = self.expr(module, base)?;
                let node = match self.args_field(base, *index) {
                    Some(name) => Node::ArgField(b, self.name(&name)),
                    None => Node::Field(b, *index as u32),
                };
                let text = self.text(module, e);
                return Ok(self.intern(node, Some(text)));
            }
            TExprKind::Provenance(arg) => {
                let name =
                    top_arg(arg).and_then(|(base, idx)| self.args_field(base, idx)).ok_or("internal: provenance of a non-argument")?;
                let node = Node::ArgProvenance(self.name(&name));
                let text = self.text(module, e);
                return Ok(self.intern(node, Some(text)));
            }
            TExprKind::Call(builtin, args) => {
                let args = args.iter().map(|a| self.expr(module, a)).collect::<Result<Vec<_>, _>>()?;
                let text = self.text(module, e);
                return Ok(self.intern(Node::Call(*builtin, args), Some(text)));
            }
            TExprKind::Lambda(body) => Node::Lambda(self.expr(module, body)?),
            TExprKind::Unary(UnOp::Not, x) => Node::Not(self.expr(module, x)?),
            TExprKind::Unary(UnOp::Neg, x) => Node::Neg(self.expr(module, x)?),
            TExprKind::Binary(op, a, b) => Node::Binary(*op, self.expr(module, a)?, self.expr(module, b)?),
            TExprKind::If(c, a, b) => Node::If(self.expr(module, c)?, self.expr(module, a)?, self.expr(module, b)?),
            TExprKind::List(xs) => Node::List(xs.iter().map(|x| self.expr(module, x)).collect::<Result<_, _>>()?),
            TExprKind::Set(xs) => Node::Set(xs.iter().map(|x| self.expr(module, x)).collect::<Result<_, _>>()?),
            TExprKind::Record(r, fields) => {
                let n = self.program.record(*r).fields.len();
                let mut items = Vec::with_capacity(n);
                for i in 0..n {
                    let node = match fields.iter().find(|(j, _)| *j == i) {
                        Some((_, x)) => self.expr(module, x)?,
                        None => self.intern(Node::Lit(RtValue::Absent), None),
                    };
                    items.push(node);
                }
                Node::Record(items)
            }
            TExprKind::Error => return Err("internal: expression with errors".to_owned()),
        };
        Ok(self.intern(node, None))
    }

    /// A compile-time value as a run-time value.
    pub(super) fn value(&mut self, v: &Value) -> Result<RtValue, String> {
        let s = |x: &str| -> Arc<str> { Arc::from(x) };
        Ok(match v {
            Value::Bool(b) => RtValue::Bool(*b),
            Value::Int(i) => RtValue::Int(*i),
            Value::Decimal(d) => RtValue::Decimal(d.0),
            Value::Str(x) => RtValue::Str(s(x)),
            Value::Email(x) => RtValue::Email(s(x)),
            Value::Url(x) => RtValue::Url(s(x)),
            Value::Path(x) => RtValue::Path(s(x)),
            Value::Ip(x) => RtValue::Ip(s(x)),
            Value::Timestamp(t) => RtValue::Timestamp(*t),
            Value::Duration(d) => RtValue::Duration(*d),
            Value::Regex(r) => RtValue::Regex(self.regex(r)),
            Value::Enum(e, i) => RtValue::Enum(e.0, *i),
            Value::Provenance(p) => RtValue::Provenance(*p),
            Value::Severity(x) => RtValue::Severity(*x),
            Value::Tool(t) => RtValue::Tool(t.0),
            Value::List(xs) => RtValue::List(xs.iter().map(|x| self.value(x)).collect::<Result<Vec<_>, _>>()?.into()),
            Value::Set(xs) => RtValue::set(xs.iter().map(|x| self.value(x)).collect::<Result<Vec<_>, _>>()?),
            Value::Record(fields) => {
                let n = fields.iter().map(|(i, _)| i + 1).max().unwrap_or(0);
                let mut out = vec![RtValue::Absent; n];
                for (i, x) in fields {
                    out[*i] = self.value(x)?;
                }
                RtValue::Record(out.into())
            }
        })
    }
}

/// The `args.x` access at the root of a path such as `args.x.y`: its base and field index.
fn top_arg(e: &TExpr) -> Option<(&TExpr, usize)> {
    match &e.kind {
        TExprKind::Field(base, idx) if matches!(base.kind, TExprKind::Binding(Binding::Args)) => Some((base, *idx)),
        TExprKind::Field(base, _) => top_arg(base),
        _ => None,
    }
}
