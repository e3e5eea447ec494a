//! The embedding API: compile a policy set from source or load a bundle, then decide requests
//! from any number of threads (`Engine` is `Send + Sync` and cheap to clone).

use std::sync::Arc;

use aisecops_compiler::lower::lower;
use aisecops_compiler::{check_set, Checked, Diagnostic, SourceFile};
use aisecops_runtime::bundle::{self, BundleError};
use aisecops_runtime::eval::{Scanned, Verdict};
use aisecops_runtime::{Compiled, Decision, Policy, Request};
use serde_json::Value as Json;

/// A compiled policy set, ready to decide requests.
#[derive(Clone, Debug)]
pub struct Engine {
    compiled: Arc<Compiled>,
}

/// How an engine evaluates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    /// Run rule conditions as native code (Cranelift); `false` selects the interpreter alone.
    /// On by default when the `jit` feature is (decisions are the same either way).
    pub jit: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options { jit: cfg!(feature = "jit") }
    }
}

/// Why a policy set could not be compiled.
#[derive(Debug)]
pub enum CompileError {
    /// The set has errors; the diagnostics (and the checked set, for rendering) say which.
    Diagnostics(Box<Checked>),
    Internal(String),
}

impl Engine {
    /// Checks and compiles the `.agp` files of one policy set.
    pub fn compile(files: &[SourceFile]) -> Result<Engine, CompileError> {
        Engine::compile_with(files, Options::default())
    }

    /// [`Engine::compile`] with options.
    pub fn compile_with(files: &[SourceFile], options: Options) -> Result<Engine, CompileError> {
        Engine::from_checked_with(check_set(files), options)
    }

    /// Compiles an already checked set.
    pub fn from_checked(checked: Checked) -> Result<Engine, CompileError> {
        Engine::from_checked_with(checked, Options::default())
    }

    /// [`Engine::from_checked`] with options.
    pub fn from_checked_with(checked: Checked, options: Options) -> Result<Engine, CompileError> {
        if checked.has_errors() {
            return Err(CompileError::Diagnostics(Box::new(checked)));
        }
        let policy = lower(&checked).map_err(CompileError::Internal)?;
        Engine::from_policy_with(policy, options).map_err(CompileError::Internal)
    }

    /// Wraps a lowered policy.
    pub fn from_policy(policy: Policy) -> Result<Engine, String> {
        Engine::from_policy_with(policy, Options::default())
    }

    /// [`Engine::from_policy`] with options.
    pub fn from_policy_with(policy: Policy, options: Options) -> Result<Engine, String> {
        let hash = bundle::policy_hash(&policy);
        Ok(Engine { compiled: Arc::new(Compiled::with_jit(policy, hash, options.jit)?) })
    }

    /// Loads a compiled bundle (`.agpc`), verifying its format version and content hash.
    pub fn load(bytes: &[u8]) -> Result<Engine, BundleError> {
        Engine::load_with(bytes, Options::default())
    }

    /// [`Engine::load`] with options.
    pub fn load_with(bytes: &[u8], options: Options) -> Result<Engine, BundleError> {
        Ok(Engine { compiled: Arc::new(bundle::decode_with(bytes, options.jit)?) })
    }

    /// Whether rule conditions run as native code.
    pub fn uses_jit(&self) -> bool {
        self.compiled.jit_enabled()
    }

    /// The compiled form, for tools that look inside (benchmarks, the JIT's statistics).
    pub fn compiled(&self) -> &Compiled {
        &self.compiled
    }

    /// The policy as a bundle.
    pub fn bundle(&self) -> Vec<u8> {
        bundle::encode(&self.compiled.policy)
    }

    pub fn policy(&self) -> &Policy {
        &self.compiled.policy
    }

    /// `sha256:<hex>` of the policy.
    pub fn hash(&self) -> &str {
        &self.compiled.hash
    }

    /// Decodes a request's tool arguments against this policy ahead of time (see
    /// `Compiled::prepare`): deciding it then starts from typed values.
    pub fn prepare(&self, request: &mut Request) {
        self.compiled.prepare(request);
    }

    /// Decides a decoded request.
    pub fn decide(&self, request: &Request) -> Decision {
        self.compiled.decide(request)
    }

    /// The verdict on a request: the outcome, reason and deciding rule of [`Engine::decide`],
    /// without the explanation. On a request prepared with [`Engine::prepare`] this is the
    /// fast path (no allocation for calls, inputs and items); the explanation can be had
    /// afterwards from [`Engine::decide`].
    pub fn verdict(&self, request: &Request) -> Verdict {
        self.compiled.verdict(request)
    }

    /// The verdict on a request given as JSON text: the fast path for ordinary calls, inputs
    /// and items (no JSON tree is built); a malformed request is an error.
    pub fn verdict_json(&self, text: &str) -> Result<Verdict, aisecops_runtime::Malformed> {
        self.compiled.verdict_json(text)
    }

    /// The reason a verdict gives (as the full decision's `reason`).
    pub fn verdict_reason(&self, verdict: &Verdict) -> Option<&str> {
        self.compiled.verdict_reason(verdict)
    }

    /// The id (`module.rule`) of a rule, by index, as verdicts give it.
    pub fn rule_id(&self, rule: u32) -> Option<&str> {
        self.compiled.policy.rules.get(rule as usize).map(|r| r.id.as_str())
    }

    /// Decides a request given as JSON text; a malformed request is a `BLOCK` with reason
    /// `malformed_request`, the problem in `error` and its path in `field`.
    pub fn decide_json(&self, text: &str) -> Json {
        self.decide_text(text).to_json()
    }

    /// [`Engine::decide_json`], as a [`Decision`].
    pub fn decide_text(&self, text: &str) -> Decision {
        self.decide_scanned(&Scanned::new(text))
    }

    /// [`Engine::decide_text`] on a request whose envelope may have been read already (the
    /// audit writer reads it with the request's logged form).
    pub fn decide_scanned(&self, request: &Scanned<'_>) -> Decision {
        if let Some(decision) = self.compiled.fast_decision_scanned(request) {
            return decision;
        }
        match Request::from_json(request.as_str()) {
            Ok(mut request) => {
                self.compiled.prepare(&mut request);
                self.decide(&request)
            }
            Err(malformed) => self.malformed(malformed),
        }
    }

    /// [`Engine::decide_text`], also handing back the request's parsed JSON (when it is JSON),
    /// so a caller that records the request (the audit trail) parses it once.
    pub fn decide_text_parsed(&self, text: &str) -> (Decision, Option<Json>) {
        if text.len() > aisecops_runtime::request::MAX_REQUEST_BYTES {
            return (self.decide_text(text), None);
        }
        let json: Json = match aisecops_runtime::json_strict::parse(text) {
            Ok(json) => json,
            // The same error as `Request::from_json`'s.
            Err(_) => return (self.decide_text(text), None),
        };
        let decision = match Request::from_value(&json) {
            Ok(mut request) => {
                self.compiled.prepare(&mut request);
                self.decide(&request)
            }
            Err(malformed) => self.malformed(malformed),
        };
        (decision, Some(json))
    }

    /// The decision on a malformed request: `BLOCK`, `malformed_request`, the problem and where.
    fn malformed(&self, malformed: aisecops_runtime::Malformed) -> Decision {
        let mut d = Decision::gate("malformed_request", None);
        d.error = Some(malformed.message);
        d.field = (!malformed.path.is_empty()).then_some(malformed.path);
        d.policy_hash = self.compiled.names.hash.clone();
        if let Some(name) = self.compiled.names.modules.first() {
            d.policy_name = name.clone();
        }
        d
    }
}

impl CompileError {
    /// The diagnostics, if the failure was a policy with errors.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            CompileError::Diagnostics(c) => &c.diagnostics,
            CompileError::Internal(_) => &[],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn engine_is_send_and_sync() {
        assert_send_sync::<Engine>();
    }
}
