//! Cranelift IR for one rule list: for each effect, in order, its condition compiled to
//! straight-line code over the frame's slots, writing 0 (false), 1 (true), 2 (fault) or 3
//! (not compiled: the interpreter decides) into the output byte of that effect. Faults branch
//! to the effect's fault block, so an effect that faults never stops the others.

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{
    types, AbiParam, Block, BlockArg, InstBuilder, MemFlagsData, SigRef, Signature, StackSlotData, StackSlotKind, Value,
};
use cranelift_codegen::isa::CallConv;
use cranelift_frontend::FunctionBuilder;

use super::helpers::{self, TEXT_CMP, TEXT_CONCAT, TEXT_LEN, TEXT_MATCHES, TEXT_OPS, TEXT_SUBSTR};
use super::shape::{literal, Kind, Shape, Shapes, Slot};
use crate::ir::{BinOp, Builtin, Node, NodeId};

const I64: types::Type = types::I64;

/// Builds the body of a rule list's function; returns, per effect, whether it was compiled.
pub struct Gen<'a, 'f, 'p> {
    pub b: &'a mut FunctionBuilder<'f>,
    pub shapes: &'a mut Shapes<'p>,
    pub tables: &'a mut Vec<Box<[i64]>>,
    pub call_conv: CallConv,
    header: Value,
    call: Value,
    ctx: Value,
    out: Value,
    fault: Block,
    sigs: Vec<Option<SigRef>>,
}

impl<'a, 'f, 'p> Gen<'a, 'f, 'p> {
    /// Starts the function: `fn(header: *const i64, call: *const i64, ctx: *mut HelperCtx, out: *mut u8)`.
    pub fn new(b: &'a mut FunctionBuilder<'f>, shapes: &'a mut Shapes<'p>, tables: &'a mut Vec<Box<[i64]>>, call_conv: CallConv) -> Self {
        let entry = b.create_block();
        b.append_block_params_for_function_params(entry);
        b.switch_to_block(entry);
        let params = b.block_params(entry).to_vec();
        let fault = entry;
        Gen { b, shapes, tables, call_conv, header: params[0], call: params[1], ctx: params[2], out: params[3], fault, sigs: Vec::new() }
    }

    /// Compiles the effects' conditions in order (`None`: no condition, always fires), each
    /// with the outcome it gives (1 sanitize, 2 approval, 3 block). The function also combines
    /// them and returns `best | tag << 8`: the strongest outcome (0 when nothing fired) and, in
    /// `tag`, twice the index of the first effect giving it, plus one if that effect faulted.
    pub fn effects(&mut self, effects: &[(Option<NodeId>, i64)]) -> Vec<bool> {
        let mut compiled = Vec::with_capacity(effects.len());
        let mut best = self.konst(0);
        let mut tag = self.konst(0);
        for (k, (condition, outcome)) in effects.iter().enumerate() {
            let (k, outcome) = (k as i32, *outcome);
            match condition {
                None => {
                    self.store(k, 1);
                    let one = self.konst(1);
                    (best, tag) = self.pick(best, tag, one, outcome, 2 * i64::from(k));
                    compiled.push(true);
                }
                Some(node) if matches!(self.shapes.of(*node), Some(Shape::Scalar { kind: Kind::Bool, .. })) => {
                    let fault = self.b.create_block();
                    let next = self.b.create_block();
                    let next_best = self.b.append_block_param(next, I64);
                    let next_tag = self.b.append_block_param(next, I64);
                    self.fault = fault;
                    // An absent condition (a `Bool?` argument) is unwrapped, so it faults: the
                    // rule fails closed, as in the interpreter.
                    let (present, fired) = self.value(*node);
                    if let Some(p) = present {
                        self.guard(p);
                    }
                    self.b.ins().istore8(MemFlagsData::trusted(), fired, self.out, k);
                    let (b1, t1) = self.pick(best, tag, fired, outcome, 2 * i64::from(k));
                    self.b.ins().jump(next, &[BlockArg::Value(b1), BlockArg::Value(t1)]);
                    self.b.switch_to_block(fault);
                    self.store(k, 2);
                    let one = self.konst(1);
                    let (b2, t2) = self.pick(best, tag, one, 3, 2 * i64::from(k) + 1);
                    self.b.ins().jump(next, &[BlockArg::Value(b2), BlockArg::Value(t2)]);
                    self.b.switch_to_block(next);
                    (best, tag) = (next_best, next_tag);
                    compiled.push(true);
                }
                Some(_) => {
                    self.store(k, 3);
                    compiled.push(false);
                }
            }
        }
        let tag = self.b.ins().ishl_imm_u(tag, 8);
        let packed = self.b.ins().bor(best, tag);
        self.b.ins().return_(&[packed]);
        compiled
    }

    /// If `fired` and `outcome` beats `best`: (`outcome`, `tag`); else (`best`, `old`).
    fn pick(&mut self, best: Value, old: Value, fired: Value, outcome: i64, tag: i64) -> (Value, Value) {
        let beats = self.b.ins().icmp_imm_s(IntCC::SignedLessThan, best, outcome);
        let beats = self.bool_of(beats);
        let take = self.b.ins().band(beats, fired);
        let (outcome, tag) = (self.konst(outcome), self.konst(tag));
        (self.b.ins().select(take, outcome, best), self.b.ins().select(take, tag, old))
    }

    fn store(&mut self, k: i32, v: i64) {
        let c = self.b.ins().iconst(I64, v);
        self.b.ins().istore8(MemFlagsData::trusted(), c, self.out, k);
    }

    fn konst(&mut self, v: i64) -> Value {
        self.b.ins().iconst(I64, v)
    }

    fn bool_of(&mut self, cond: Value) -> Value {
        self.b.ins().uextend(I64, cond)
    }

    fn sig(&mut self, arity: usize) -> SigRef {
        if self.sigs.len() <= arity {
            self.sigs.resize(arity + 1, None);
        }
        if let Some(s) = self.sigs[arity] {
            return s;
        }
        let mut sig = Signature::new(self.call_conv);
        sig.params.extend((0..arity).map(|_| AbiParam::new(I64)));
        sig.returns.push(AbiParam::new(I64));
        let s = self.b.import_signature(sig);
        self.sigs[arity] = Some(s);
        s
    }

    /// Calls a helper at `address` with 64-bit arguments.
    fn helper(&mut self, address: usize, args: &[Value]) -> Value {
        let sig = self.sig(args.len());
        let callee = self.konst(address as i64);
        let call = self.b.ins().call_indirect(sig, callee, args);
        self.b.inst_results(call)[0]
    }

    fn text_op(&mut self, op: i64, a: Value, b: Value) -> Value {
        let op = self.konst(op);
        let ctx = self.ctx;
        self.helper(helpers::h_text as *const () as usize, &[ctx, op, a, b])
    }

    /// Branches to the fault block unless `ok` is non-zero.
    fn guard(&mut self, ok: Value) {
        let cont = self.b.create_block();
        let fault = self.fault;
        self.b.ins().brif(ok, cont, &[], fault, &[]);
        self.b.switch_to_block(cont);
    }

    fn load(&mut self, slot: Slot, delta: i64) -> Value {
        let (base, index) = match slot {
            Slot::Header(i) => {
                self.shapes.read_header(i);
                (self.header, i as i64)
            }
            Slot::Call(i) => (self.call, i as i64),
        };
        self.b.ins().load(I64, MemFlagsData::trusted(), base, ((index + delta) * 8) as i32)
    }

    /// A node's value that must be present (an absent optional faults).
    fn present(&mut self, id: NodeId) -> Value {
        let (present, value) = self.value(id);
        if let Some(p) = present {
            self.guard(p);
        }
        value
    }

    fn kind(&mut self, id: NodeId) -> Kind {
        self.shapes.of(id).and_then(|s| s.kind()).unwrap_or(Kind::Bool)
    }

    /// A node's value: whether it is present (`None`: always) and its payload.
    fn value(&mut self, id: NodeId) -> (Option<Value>, Value) {
        let shape = self.shapes.of(id);
        let opt = matches!(shape, Some(Shape::Scalar { opt: true, .. }));
        let node = self.shapes.policy.nodes[id as usize].clone();
        match node {
            Node::Lit(v) => {
                let payload = literal(self.shapes.interner, &v).map_or(0, |(_, p)| p);
                (None, self.konst(payload))
            }
            Node::Binding(_) | Node::Field(..) | Node::ArgField(..) | Node::ArgProvenance(_) => {
                let slot = self.shapes.slot(id).unwrap_or(Slot::Header(0));
                let value = self.load(slot, 0);
                let present = opt.then(|| self.load(slot, -1));
                (present, value)
            }
            Node::Not(x) => {
                let v = self.present(x);
                (None, self.b.ins().bxor_imm_s(v, 1))
            }
            Node::Neg(x) => {
                let v = self.present(x);
                let ok = self.b.ins().icmp_imm_s(IntCC::NotEqual, v, i64::MIN);
                self.guard(ok);
                (None, self.b.ins().ineg(v))
            }
            Node::If(c, a, b) => {
                let c = self.present(c);
                let (then, other, join) = (self.b.create_block(), self.b.create_block(), self.b.create_block());
                let p = self.b.append_block_param(join, I64);
                let v = self.b.append_block_param(join, I64);
                self.b.ins().brif(c, then, &[], other, &[]);
                for (block, branch) in [(then, a), (other, b)] {
                    self.b.switch_to_block(block);
                    let (bp, bv) = self.value(branch);
                    let bp = bp.unwrap_or_else(|| self.konst(1));
                    self.b.ins().jump(join, &[BlockArg::Value(bp), BlockArg::Value(bv)]);
                }
                self.b.switch_to_block(join);
                (opt.then_some(p), v)
            }
            Node::Binary(op, a, b) => (None, self.binary(op, a, b)),
            Node::Call(builtin, args) => match self.shapes.pre(id) {
                // Computed when the request was prepared: (ok, payload) pairs after the base.
                Some(i) => {
                    let slot = match self.shapes.pre_base() {
                        Slot::Call(base) => Slot::Call(base + 2 * i + 1),
                        Slot::Header(base) => Slot::Header(base + 2 * i + 1),
                    };
                    let ok = self.load(slot, -1);
                    self.guard(ok);
                    (None, self.load(slot, 0))
                }
                None => self.call(builtin, &args),
            },
            Node::Local(_) | Node::Lambda(_) | Node::List(_) | Node::Set(_) | Node::Record(_) => (None, self.konst(0)),
        }
    }

    /// `a and b` / `a or b`, short-circuiting as the interpreter does.
    fn logic(&mut self, and: bool, a: NodeId, b: NodeId) -> Value {
        let x = self.present(a);
        let (rhs, join) = (self.b.create_block(), self.b.create_block());
        let result = self.b.append_block_param(join, I64);
        if and {
            self.b.ins().brif(x, rhs, &[], join, &[BlockArg::Value(x)]);
        } else {
            self.b.ins().brif(x, join, &[BlockArg::Value(x)], rhs, &[]);
        }
        self.b.switch_to_block(rhs);
        let y = self.present(b);
        self.b.ins().jump(join, &[BlockArg::Value(y)]);
        self.b.switch_to_block(join);
        result
    }

    fn binary(&mut self, op: BinOp, a: NodeId, b: NodeId) -> Value {
        match op {
            BinOp::And => self.logic(true, a, b),
            BinOp::Or => self.logic(false, a, b),
            BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
                let (ka, kb) = (self.kind(a), self.kind(b));
                let (x, y) = (self.present(a), self.present(b));
                let cc = match op {
                    BinOp::Eq => IntCC::Equal,
                    BinOp::Ne => IntCC::NotEqual,
                    BinOp::Lt => IntCC::SignedLessThan,
                    BinOp::Le => IntCC::SignedLessThanOrEqual,
                    BinOp::Gt => IntCC::SignedGreaterThan,
                    _ => IntCC::SignedGreaterThanOrEqual,
                };
                let c = if ka != kb {
                    // Int against Decimal: compared by value.
                    let ordering = self.numeric(3, ka, x, kb, y);
                    self.b.ins().icmp_imm_s(cc, ordering, 0)
                } else if matches!(ka, Kind::Text(_)) && !matches!(op, BinOp::Eq | BinOp::Ne) {
                    let ordering = self.text_op(TEXT_CMP, x, y);
                    self.b.ins().icmp_imm_s(cc, ordering, 0)
                } else {
                    self.b.ins().icmp(cc, x, y)
                };
                self.bool_of(c)
            }
            BinOp::In => self.member(a, b),
            BinOp::NotIn => {
                let m = self.member(a, b);
                self.b.ins().bxor_imm_s(m, 1)
            }
            BinOp::Contains => self.member(b, a),
            BinOp::Add | BinOp::Sub | BinOp::Mul => {
                let (ka, kb) = (self.kind(a), self.kind(b));
                let (x, y) = (self.present(a), self.present(b));
                if ka == Kind::Text(0) {
                    return self.text_op(TEXT_CONCAT, x, y);
                }
                let code = match op {
                    BinOp::Add => 0,
                    BinOp::Sub => 1,
                    _ => 2,
                };
                self.numeric(code, ka, x, kb, y)
            }
        }
    }

    /// `h_numeric`: faults (branches away) when it reports overflow.
    fn numeric(&mut self, op: i64, ka: Kind, x: Value, kb: Kind, y: Value) -> Value {
        let slot = self.b.create_sized_stack_slot(StackSlotData::new(StackSlotKind::ExplicitSlot, 8, 3));
        let out = self.b.ins().stack_addr(I64, slot, 0);
        let (op, ka, kb) = (self.konst(op), self.konst(ka.code()), self.konst(kb.code()));
        let ok = self.helper(helpers::h_numeric as *const () as usize, &[op, ka, x, kb, y, out]);
        self.guard(ok);
        self.b.ins().stack_load(I64, I64, slot, 0)
    }

    /// Is `x` an element of (or, for texts, a substring of) `coll`?
    fn member(&mut self, x: NodeId, coll: NodeId) -> Value {
        let v = self.present(x);
        match self.shapes.of(coll) {
            Some(Shape::Table { items, .. }) => {
                if items.len() <= 8 {
                    let mut acc = self.konst(0);
                    for item in items {
                        let eq = self.b.ins().icmp_imm_s(IntCC::Equal, v, item);
                        let eq = self.bool_of(eq);
                        acc = self.b.ins().bor(acc, eq);
                    }
                    acc
                } else {
                    let table: Box<[i64]> = items.into_boxed_slice();
                    let (ptr, len) = (table.as_ptr() as i64, table.len() as i64);
                    self.tables.push(table);
                    let (ptr, len) = (self.konst(ptr), self.konst(len));
                    self.helper(helpers::h_table as *const () as usize, &[ptr, len, v])
                }
            }
            Some(Shape::RequestSet(which)) => {
                let (ctx, which) = (self.ctx, self.konst(i64::from(which)));
                self.helper(helpers::h_set as *const () as usize, &[ctx, which, v])
            }
            _ => {
                let hay = self.present(coll);
                self.text_op(TEXT_SUBSTR, v, hay)
            }
        }
    }

    fn call(&mut self, builtin: Builtin, args: &[NodeId]) -> (Option<Value>, Value) {
        let arg = |i: usize| args.get(i).copied().unwrap_or(0);
        let value = match builtin {
            Builtin::Present => {
                let (p, _) = self.value(arg(0));
                p.unwrap_or_else(|| self.konst(1))
            }
            Builtin::Or => {
                let (p, v) = self.value(arg(0));
                let Some(p) = p else { return (None, v) };
                let (fallback, join) = (self.b.create_block(), self.b.create_block());
                let result = self.b.append_block_param(join, I64);
                self.b.ins().brif(p, join, &[BlockArg::Value(v)], fallback, &[]);
                self.b.switch_to_block(fallback);
                let y = self.present(arg(1));
                self.b.ins().jump(join, &[BlockArg::Value(y)]);
                self.b.switch_to_block(join);
                result
            }
            Builtin::Len => match self.shapes.of(arg(0)) {
                Some(Shape::Table { items, .. }) => self.konst(items.len() as i64),
                Some(Shape::RequestSet(which)) => {
                    let (ctx, which, all) = (self.ctx, self.konst(i64::from(which)), self.konst(-1));
                    self.helper(helpers::h_set as *const () as usize, &[ctx, which, all])
                }
                _ => {
                    let s = self.present(arg(0));
                    let zero = self.konst(0);
                    self.text_op(TEXT_LEN, s, zero)
                }
            },
            Builtin::Matches => {
                let s = self.present(arg(0));
                let r = self.present(arg(1));
                self.text_op(TEXT_MATCHES, s, r)
            }
            Builtin::TimestampHour | Builtin::TimestampWeekday => {
                let t = self.present(arg(0));
                let which = self.konst(i64::from(builtin == Builtin::TimestampWeekday));
                self.helper(helpers::h_time as *const () as usize, &[which, t])
            }
            Builtin::Native(n) => {
                let code = helpers::native_code(n).unwrap_or(-1);
                let a = self.present(arg(0));
                let b = if args.len() > 1 { self.present(arg(1)) } else { self.konst(0) };
                let slot = self.b.create_sized_stack_slot(StackSlotData::new(StackSlotKind::ExplicitSlot, 8, 3));
                let out = self.b.ins().stack_addr(I64, slot, 0);
                let (ctx, code) = (self.ctx, self.konst(code));
                let ok = self.helper(helpers::h_native as *const () as usize, &[ctx, code, a, b, out]);
                self.guard(ok);
                self.b.ins().stack_load(I64, I64, slot, 0)
            }
            other => {
                let code = TEXT_OPS.iter().position(|b| *b == other).map_or(-1, |i| i as i64);
                let a = self.present(arg(0));
                let b = if args.len() > 1 { self.present(arg(1)) } else { self.konst(0) };
                self.text_op(code, a, b)
            }
        };
        (None, value)
    }
}
