//! The engines under test, behind one trait: aisecops with the JIT and with the interpreter
//! alone, Cedar (`cedar-policy`) and Rego (`regorus`). Each prepares its own inputs once, then
//! decides request `i` either from its pre-decoded form or from JSON text. aisecops answers
//! with a verdict (outcome, reason, deciding rule), as Cedar answers with a decision and the
//! determining policies; `explained` times aisecops' full decision with its explanation.

use std::cell::RefCell;
use std::str::FromStr;
use std::time::Instant;

use aisecops::{Outcome, Request, SourceFile};
use cedar_policy::{Authorizer, Context, Decision, Entities, EntityUid, PolicySet};

use crate::generate::{Call, Workload};

/// The outcome class every engine is compared on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    Allow,
    Block,
    Approval,
}

pub trait Engine {
    fn name(&self) -> &'static str;
    fn decide_decoded(&self, i: usize) -> Class;
    fn decide_json(&self, i: usize) -> Class;
    /// The full decision with its explanation, from the decoded request (aisecops only).
    fn decide_explained(&self, _i: usize) -> Option<Class> {
        None
    }
    /// Back-to-back runs per timing sample.
    fn reps(&self, rules: usize) -> usize;
    /// Time to compile and load the policy (not the requests), in ms.
    fn compile_ms(&self) -> f64;
}

pub fn build(name: &str, workload: &Workload, calls: &[Call]) -> Result<Box<dyn Engine>, String> {
    Ok(match name {
        "aisecops-jit" => Box::new(Aisecops::new(workload, calls, true)?),
        "aisecops-interp" => Box::new(Aisecops::new(workload, calls, false)?),
        "cedar" => Box::new(Cedar::new(workload, calls)?),
        "regorus" => Box::new(Regorus::new(workload, calls)?),
        other => return Err(format!("unknown engine `{other}` (aisecops-jit, aisecops-interp, cedar, regorus)")),
    })
}

struct Aisecops {
    engine: aisecops::Engine,
    jit: bool,
    compile_ms: f64,
    decoded: Vec<Request>,
    texts: Vec<String>,
}

impl Aisecops {
    fn new(workload: &Workload, calls: &[Call], jit: bool) -> Result<Aisecops, String> {
        let sources = [SourceFile { name: "policy.agp".into(), text: workload.agp() }];
        let start = Instant::now();
        let engine = aisecops::Engine::compile_with(&sources, aisecops::Options { jit }).map_err(|e| format!("{:?}", e.diagnostics()))?;
        let compile_ms = ms(start);
        if engine.uses_jit() != jit {
            return Err("this build has no JIT".to_owned());
        }
        let texts: Vec<String> = calls.iter().enumerate().map(|(i, c)| c.aisecops_json(i)).collect();
        let mut decoded: Vec<Request> = texts.iter().map(|t| Request::from_json(t).map_err(|e| e.to_string())).collect::<Result<_, _>>()?;
        // "Decoded" means typed: arguments decoded against the schema, as Cedar's context is.
        for r in &mut decoded {
            engine.prepare(r);
        }
        Ok(Aisecops { engine, jit, compile_ms, decoded, texts })
    }
}

fn ms(start: Instant) -> f64 {
    start.elapsed().as_secs_f64() * 1e3
}

fn class(outcome: Outcome) -> Class {
    match outcome {
        Outcome::Allow | Outcome::Sanitize => Class::Allow,
        Outcome::Block => Class::Block,
        Outcome::RequireApproval => Class::Approval,
    }
}

impl Engine for Aisecops {
    fn name(&self) -> &'static str {
        if self.jit {
            "aisecops-jit"
        } else {
            "aisecops-interp"
        }
    }

    fn decide_decoded(&self, i: usize) -> Class {
        class(self.engine.verdict(&self.decoded[i]).outcome)
    }

    /// JSON text to a verdict: decode the envelope and the arguments, intern, decide.
    fn decide_json(&self, i: usize) -> Class {
        match self.engine.verdict_json(&self.texts[i]) {
            Ok(verdict) => class(verdict.outcome),
            Err(_) => Class::Block,
        }
    }

    fn decide_explained(&self, i: usize) -> Option<Class> {
        Some(class(self.engine.decide(&self.decoded[i]).outcome))
    }

    fn compile_ms(&self) -> f64 {
        self.compile_ms
    }

    fn reps(&self, _: usize) -> usize {
        if self.jit {
            200
        } else {
            50
        }
    }
}

/// Cedar: access (grants as `permit`, blocking rules as `forbid`) is one policy set; approval
/// rules are a second set of `permit`s, asked only when access is allowed.
struct Cedar {
    compile_ms: f64,
    access: PolicySet,
    approvals: PolicySet,
    authorizer: Authorizer,
    entities: Entities,
    principal: EntityUid,
    action: EntityUid,
    decoded: Vec<cedar_policy::Request>,
    texts: Vec<String>,
}

fn cedar_request(principal: &EntityUid, action: &EntityUid, flat: &str) -> Result<cedar_policy::Request, String> {
    let mut json: serde_json::Value = serde_json::from_str(flat).map_err(|e| e.to_string())?;
    let tool = json["tool"].as_str().unwrap_or_default().to_owned();
    let amount = json["amount"].to_string();
    json["amount"] = serde_json::json!({"__extn": {"fn": "decimal", "arg": amount}});
    if let Some(o) = json.as_object_mut() {
        o.remove("tool");
    }
    let context = Context::from_json_value(json, None).map_err(|e| e.to_string())?;
    let resource = EntityUid::from_str(&format!("Tool::\"{tool}\"")).map_err(|e| e.to_string())?;
    cedar_policy::Request::new(principal.clone(), action.clone(), resource, context, None).map_err(|e| e.to_string())
}

impl Cedar {
    fn new(workload: &Workload, calls: &[Call]) -> Result<Cedar, String> {
        let (access, approvals) = workload.cedar();
        let start = Instant::now();
        let access = PolicySet::from_str(&access).map_err(|e| format!("cedar access policies: {e}"))?;
        let approvals = PolicySet::from_str(&approvals).map_err(|e| format!("cedar approval policies: {e}"))?;
        let compile_ms = ms(start);
        let principal = EntityUid::from_str("Agent::\"bot\"").map_err(|e| e.to_string())?;
        let action = EntityUid::from_str("Action::\"call\"").map_err(|e| e.to_string())?;
        let texts: Vec<String> = calls.iter().map(Call::flat_json).collect();
        let decoded = texts.iter().map(|t| cedar_request(&principal, &action, t)).collect::<Result<_, _>>()?;
        Ok(Cedar {
            compile_ms,
            access,
            approvals,
            authorizer: Authorizer::new(),
            entities: Entities::empty(),
            principal,
            action,
            decoded,
            texts,
        })
    }

    fn decide(&self, request: &cedar_policy::Request) -> Class {
        if self.authorizer.is_authorized(request, &self.access, &self.entities).decision() == Decision::Deny {
            return Class::Block;
        }
        match self.authorizer.is_authorized(request, &self.approvals, &self.entities).decision() {
            Decision::Allow => Class::Approval,
            Decision::Deny => Class::Allow,
        }
    }
}

impl Engine for Cedar {
    fn name(&self) -> &'static str {
        "cedar"
    }

    fn compile_ms(&self) -> f64 {
        self.compile_ms
    }

    fn decide_decoded(&self, i: usize) -> Class {
        self.decide(&self.decoded[i])
    }

    fn decide_json(&self, i: usize) -> Class {
        match cedar_request(&self.principal, &self.action, &self.texts[i]) {
            Ok(r) => self.decide(&r),
            Err(_) => Class::Block,
        }
    }

    fn reps(&self, rules: usize) -> usize {
        if rules >= 1000 {
            1
        } else {
            10
        }
    }
}

/// Rego through regorus: `data.bench.decision` is "block", "approval" or "allow".
struct Regorus {
    compile_ms: f64,
    engine: RefCell<regorus::Engine>,
    decoded: Vec<regorus::Value>,
    texts: Vec<String>,
}

impl Regorus {
    fn new(workload: &Workload, calls: &[Call]) -> Result<Regorus, String> {
        let rego = workload.rego();
        let start = Instant::now();
        let mut engine = regorus::Engine::new();
        engine.add_policy("bench.rego".into(), rego).map_err(|e| format!("rego policy: {e}"))?;
        let compile_ms = ms(start);
        let texts: Vec<String> = calls.iter().map(Call::flat_json).collect();
        let decoded = texts.iter().map(|t| regorus::Value::from_json_str(t).map_err(|e| e.to_string())).collect::<Result<_, _>>()?;
        Ok(Regorus { compile_ms, engine: RefCell::new(engine), decoded, texts })
    }

    fn decision(&self) -> Class {
        let value = self.engine.borrow_mut().eval_rule("data.bench.decision".into());
        match value.ok().and_then(|v| v.as_string().ok().map(|s| s.to_string())).as_deref() {
            Some("allow") => Class::Allow,
            Some("approval") => Class::Approval,
            _ => Class::Block,
        }
    }
}

impl Engine for Regorus {
    fn name(&self) -> &'static str {
        "regorus"
    }

    fn compile_ms(&self) -> f64 {
        self.compile_ms
    }

    fn decide_decoded(&self, i: usize) -> Class {
        self.engine.borrow_mut().set_input(self.decoded[i].clone());
        self.decision()
    }

    fn decide_json(&self, i: usize) -> Class {
        if self.engine.borrow_mut().set_input_json(&self.texts[i]).is_err() {
            return Class::Block;
        }
        self.decision()
    }

    fn reps(&self, rules: usize) -> usize {
        if rules >= 1000 {
            1
        } else {
            5
        }
    }
}
