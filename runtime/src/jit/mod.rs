//! The Cranelift JIT: each rule list of the dispatch index (a phase's rules, or the `evaluate`
//! rules of one tool, per tenant scope) becomes one native function that writes, per effect,
//! whether its condition is false, true or faulted. The interpreter stays the reference: it
//! takes these results in place of evaluating the conditions, rebuilds the explanation of the
//! effects that fired, and evaluates the conditions the JIT does not compile (see
//! `shape.rs`). `unsafe` lives here only: calling compiled code and its helpers.
#![allow(unsafe_code)]

mod codegen;
pub mod helpers;
mod precompute;
pub mod shape;

use std::collections::HashMap;
use std::fmt;

use cranelift_codegen::ir::{types, AbiParam, UserFuncName};
use cranelift_codegen::settings::{self, Configurable};
use cranelift_codegen::Context;
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use cranelift_jit::{JITBuilder, JITModule};
use cranelift_module::{default_libcall_names, FuncId, Linkage, Module};
use regex::Regex;
use smallvec::SmallVec;

use crate::eval::Results;
use crate::frame::{CallFrame, Frame};
use crate::intern::Interner;
use crate::ir::Binding;
use crate::policy::{EffectKind, Phase, Policy, Scope};
use helpers::HelperCtx;
use shape::{Context as ShapeContext, Shapes};

/// A compiled rule list: `fn(header, call, ctx, out) -> best | tag << 8` (see `codegen.rs`).
type ListFn = unsafe extern "C" fn(*const i64, *const i64, *mut HelperCtx<'_>, *mut u8) -> i64;

/// The outcome a compiled list computed: 0 allow, 1 sanitize, 2 approval, 3 block, and the
/// deciding effect (rule, index) when something fired.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Combined {
    pub outcome: u8,
    pub effect: Option<(u32, u32)>,
    pub fault: bool,
}

/// What an effect of a list is: its rule and index, and whether its condition is compiled.
#[derive(Debug, Clone)]
pub struct List {
    pub effects: Vec<(u32, u32)>,
    pub compiled: Vec<bool>,
    /// Every condition is compiled (the function's combined outcome is the list's).
    pub complete: bool,
    /// For a tool's list: the tool and the length of its call frame.
    call: Option<(u32, usize)>,
    /// Text operations computed when a request is prepared (see `shape::Pre`).
    pub pres: Vec<shape::Pre>,
    id: FuncId,
    func: Option<ListFn>,
}

/// Per tenant scope: the list of each phase and of each tool's `evaluate` rules.
#[derive(Debug, Clone, Default)]
struct ScopeCode {
    phases: [Option<u32>; 5],
    tools: Vec<Option<u32>>,
}

/// How much of the policy is compiled.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    pub functions: usize,
    pub effects: usize,
    pub compiled_effects: usize,
}

/// The compiler: one module and one set of Cranelift contexts, reused for every function.
pub struct Jit {
    module: JITModule,
    context: Context,
    builder: FunctionBuilderContext,
    lists: Vec<List>,
    tables: Vec<Box<[i64]>>,
    cache: HashMap<(u8, Option<u32>, Vec<u32>), u32>,
    /// The header slots the lists compiled so far read.
    header_reads: u16,
}

/// Native code for a policy; freed when dropped.
pub struct Code {
    module: Option<JITModule>,
    lists: Vec<List>,
    scopes: Vec<ScopeCode>,
    /// Literal tables compiled code points into; kept alive with it.
    _tables: Vec<Box<[i64]>>,
    pub stats: Stats,
    /// The header slots compiled code reads (bits of `frame::header::bit`): a frame need not
    /// intern the strings of the others.
    pub header_reads: u16,
}

// SAFETY: after `finalize_definitions` the module is never touched again until it is freed in
// `drop`; the compiled functions only read their arguments and the immutable tables, and keep
// no state of their own, so calling them from any thread at the same time is sound.
unsafe impl Send for Code {}
// SAFETY: as above: shared use only calls the immutable compiled functions.
unsafe impl Sync for Code {}

impl Drop for Code {
    fn drop(&mut self) {
        if let Some(module) = self.module.take() {
            // SAFETY: no function of this module can be called any more: the `Code` owning the
            // only pointers to them is being dropped.
            unsafe { module.free_memory() };
        }
    }
}

impl fmt::Debug for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Code").field("stats", &self.stats).finish_non_exhaustive()
    }
}

/// The bindings the interpreter sets for a list of each kind (0 input, 1 item, 2 call).
fn context(kind: u8, tool: Option<u32>) -> ShapeContext {
    let mut bindings = [false; 9];
    for b in [Binding::Agent, Binding::Tenant, Binding::Session, Binding::Request] {
        bindings[b as usize] = true;
    }
    match kind {
        0 => bindings[Binding::Input as usize] = true,
        1 => bindings[Binding::Item as usize] = true,
        _ => {
            bindings[Binding::Call as usize] = true;
            bindings[Binding::Args as usize] = true;
        }
    }
    ShapeContext { bindings, tool }
}

impl Jit {
    /// A compiler for the host machine.
    pub fn new() -> Result<Jit, String> {
        let mut flags = settings::builder();
        flags.set("use_colocated_libcalls", "false").map_err(|e| e.to_string())?;
        flags.set("is_pic", "false").map_err(|e| e.to_string())?;
        // Rule conditions are short straight-line code over loads and compares: Cranelift's
        // optimiser and backtracking allocator gain them little and cost most of the compile
        // time (measured in docs/benchmarks.md).
        flags.set("opt_level", "none").map_err(|e| e.to_string())?;
        flags.set("regalloc_algorithm", "single_pass").map_err(|e| e.to_string())?;
        // The IR is built by `codegen.rs` alone; verifying it on every load costs more than
        // compiling it (tests run with the verifier: see `verify_ir`).
        flags.set("enable_verifier", if cfg!(debug_assertions) { "true" } else { "false" }).map_err(|e| e.to_string())?;
        let isa = cranelift_native::builder()
            .map_err(|e| format!("the JIT does not support this machine: {e}"))?
            .finish(settings::Flags::new(flags))
            .map_err(|e| e.to_string())?;
        let module = JITModule::new(JITBuilder::with_isa(isa, default_libcall_names()));
        let context = module.make_context();
        Ok(Jit {
            module,
            context,
            builder: FunctionBuilderContext::new(),
            lists: Vec::new(),
            tables: Vec::new(),
            cache: HashMap::new(),
            header_reads: 0,
        })
    }

    /// Compiles every rule list of `policy`.
    pub fn compile(mut self, policy: &Policy, interner: &Interner, arg_slots: &[Vec<u32>]) -> Result<Code, String> {
        let mut scopes = Vec::new();
        for scope in policy.scopes() {
            scopes.push(self.scope(policy, interner, arg_slots, scope)?);
        }
        self.module.finalize_definitions().map_err(|e| e.to_string())?;
        let mut stats = Stats { functions: self.lists.len(), ..Stats::default() };
        for list in &mut self.lists {
            let address = self.module.get_finalized_function(list.id);
            // SAFETY: the function was defined with exactly this signature (four pointer-sized
            // integer parameters, one 64-bit integer result) by `list_function`, for the host's calling
            // convention.
            list.func = Some(unsafe { std::mem::transmute::<*const u8, ListFn>(address) });
            stats.effects += list.effects.len();
            stats.compiled_effects += list.compiled.iter().filter(|c| **c).count();
        }
        let header_reads = self.header_reads;
        Ok(Code { module: Some(self.module), lists: self.lists, scopes, _tables: self.tables, stats, header_reads })
    }

    fn scope(&mut self, policy: &Policy, interner: &Interner, arg_slots: &[Vec<u32>], scope: &Scope) -> Result<ScopeCode, String> {
        let mut code = ScopeCode { tools: vec![None; policy.tools.len()], ..ScopeCode::default() };
        for (phase, kind) in [(Phase::Input, 0), (Phase::Context, 1), (Phase::MemoryWrite, 1)] {
            let rules = &scope.phase_rules[phase.index()];
            if !rules.is_empty() {
                code.phases[phase.index()] = Some(self.list(policy, interner, arg_slots, kind, None, rules)?);
            }
        }
        for (tool, rules) in scope.tool_rules.iter().enumerate() {
            if !rules.is_empty() {
                code.tools[tool] = Some(self.list(policy, interner, arg_slots, 2, Some(tool as u32), rules)?);
            }
        }
        Ok(code)
    }

    /// The function of one rule list (shared by scopes with the same list).
    fn list(
        &mut self,
        policy: &Policy,
        interner: &Interner,
        arg_slots: &[Vec<u32>],
        kind: u8,
        tool: Option<u32>,
        rules: &[u32],
    ) -> Result<u32, String> {
        let key = (kind, tool, rules.to_vec());
        if let Some(&i) = self.cache.get(&key) {
            return Ok(i);
        }
        let mut effects = Vec::new();
        let mut conditions = Vec::new();
        for &r in rules {
            for (i, effect) in policy.rules[r as usize].effects.iter().enumerate() {
                effects.push((r, i as u32));
                let outcome = match effect.kind {
                    EffectKind::Sanitize => 1,
                    EffectKind::RequireApproval => 2,
                    EffectKind::Block => 3,
                };
                conditions.push((effect.condition.as_ref().map(|c| c.node), outcome));
            }
        }
        let ptr = self.module.target_config().pointer_type();
        let mut sig = self.module.make_signature();
        sig.params.extend([AbiParam::new(ptr); 4]);
        sig.returns.push(AbiParam::new(types::I64));
        debug_assert_eq!(ptr, types::I64);
        let index = self.lists.len() as u32;
        let id = self.module.declare_function(&format!("list{index}"), Linkage::Local, &sig).map_err(|e| e.to_string())?;
        self.context.func.signature = sig;
        self.context.func.name = UserFuncName::user(0, id.as_u32());
        let call_conv = self.module.target_config().default_call_conv;
        let mut shapes = Shapes::new(policy, interner, arg_slots, context(kind, tool));
        let compiled = {
            let mut b = FunctionBuilder::new(&mut self.context.func, &mut self.builder);
            let compiled = codegen::Gen::new(&mut b, &mut shapes, &mut self.tables, call_conv).effects(&conditions);
            b.seal_all_blocks();
            b.finalize(self.module.target_config());
            compiled
        };
        self.module.define_function(id, &mut self.context).map_err(|e| format!("{e:?}"))?;
        self.module.clear_context(&mut self.context);
        let pres = std::mem::take(&mut shapes.pres);
        self.header_reads |= shapes.header_reads.get();
        let call = tool
            .map(|t| (t, crate::frame::call::PROVENANCE + policy.names.len() + 2 * policy.tools[t as usize].params.len() + 2 * pres.len()));
        let complete = compiled.iter().all(|c| *c);
        self.lists.push(List { effects, compiled, complete, call, pres, id, func: None });
        self.cache.insert(key, index);
        Ok(index)
    }
}

impl Code {
    /// Compiles `policy`.
    pub fn new(policy: &Policy, interner: &Interner, arg_slots: &[Vec<u32>]) -> Result<Code, String> {
        Jit::new()?.compile(policy, interner, arg_slots)
    }

    /// The list for `phase` (or for `tool`'s `evaluate` rules) in scope number `scope`.
    pub fn list(&self, scope: usize, phase: Phase, tool: Option<u32>) -> Option<&List> {
        let code = self.scopes.get(scope)?;
        let index = match tool {
            Some(t) => (*code.tools.get(t as usize)?)?,
            None => code.phases[phase.index()]?,
        };
        self.lists.get(index as usize)
    }

    /// Runs a list on a frame (and, for `evaluate`, the call's frame): each effect's result
    /// (0 false, 1 true, 2 fault, 3 not compiled), and the combined outcome when every effect
    /// is compiled.
    pub fn run(
        &self,
        list: &List,
        frame: &Frame,
        call: Option<&CallFrame>,
        interner: &Interner,
        regexes: &[Regex],
    ) -> (Results, Option<Combined>) {
        let mut out: Results = SmallVec::from_elem(3, list.effects.len());
        let Some(func) = list.func else { return (out, None) };
        // The layout the function was compiled for must be the frame's; otherwise the
        // interpreter decides every effect.
        let fits = match (list.call, call) {
            (None, _) => frame.header.len() == crate::frame::header::LEN + 2 * list.pres.len(),
            (Some((tool, len)), Some(c)) => {
                c.args_ok && c.tool == Some(tool) && c.slots.len() == len && frame.header.len() >= crate::frame::header::LEN
            }
            (Some(_), None) => false,
        };
        if !fits {
            return (out, None);
        }
        let mut ctx = HelperCtx::new(interner, &frame.strings, &frame.roles[..], &frame.labels[..], regexes);
        let call_slots = call.map_or(frame.header.as_ptr(), |c| c.slots.as_ptr());
        // SAFETY: `func` was compiled for this policy's layout: it reads header slots below
        // `header::LEN` and, for a call list, the call's provenance and argument slots of the
        // list's tool, which `Frame::build` laid out for that tool (checked above); it writes one
        // byte per effect of the list into `out`, which has exactly that many; `ctx` lives
        // across the call and is used by nothing else.
        let packed = unsafe { func(frame.header.as_ptr(), call_slots, &mut ctx, out.as_mut_ptr()) };
        let combined = list.complete.then(|| {
            let tag = (packed >> 8) as usize;
            let outcome = (packed & 0xff) as u8;
            Combined { outcome, effect: list.effects.get(tag / 2).copied().filter(|_| outcome > 0), fault: tag % 2 == 1 }
        });
        (out, combined)
    }
}
