//! Compiled bundles (`.agpc`): a header with a magic number, the format version and the
//! SHA-256 of the payload, then the policy serialised with serde. Loading checks all three and
//! rejects a foreign, newer or corrupt file with a clear error.

use sha2::{Digest, Sha256};

use crate::eval::Compiled;
use crate::policy::Policy;

const MAGIC: &[u8; 4] = b"AGPC";
/// The bundle format this build reads and writes.
pub const FORMAT_VERSION: u32 = 1;
const HEADER: usize = 4 + 4 + 32;

/// Why a bundle could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BundleError {
    NotABundle,
    Version { found: u32 },
    Corrupt(String),
}

impl std::fmt::Display for BundleError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BundleError::NotABundle => f.write_str("not an aisecops bundle (bad magic number)"),
            BundleError::Version { found } => {
                write!(
                    f,
                    "bundle format version {found} is not supported (this build reads version {FORMAT_VERSION}); recompile the policy"
                )
            }
            BundleError::Corrupt(why) => write!(f, "corrupt bundle: {why}"),
        }
    }
}

impl std::error::Error for BundleError {}

fn payload(policy: &Policy) -> Vec<u8> {
    serde_json::to_vec(policy).unwrap_or_default()
}

fn digest(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The policy's content hash, `sha256:<hex>`, as decisions report it.
pub fn policy_hash(policy: &Policy) -> String {
    format!("sha256:{}", hex(&digest(&payload(policy))))
}

/// Serialises a policy into a bundle.
pub fn encode(policy: &Policy) -> Vec<u8> {
    let body = payload(policy);
    let mut out = Vec::with_capacity(HEADER + body.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&digest(&body));
    out.extend_from_slice(&body);
    out
}

/// Loads and verifies a bundle (with the JIT when the `jit` feature is on).
pub fn decode(bytes: &[u8]) -> Result<Compiled, BundleError> {
    decode_with(bytes, cfg!(feature = "jit"))
}

/// Loads and verifies a bundle, for the interpreter alone (`jit` false) or with the JIT.
pub fn decode_with(bytes: &[u8], jit: bool) -> Result<Compiled, BundleError> {
    if bytes.len() < HEADER || &bytes[..4] != MAGIC {
        return Err(BundleError::NotABundle);
    }
    let mut version = [0u8; 4];
    version.copy_from_slice(&bytes[4..8]);
    let version = u32::from_le_bytes(version);
    if version != FORMAT_VERSION {
        return Err(BundleError::Version { found: version });
    }
    let body = &bytes[HEADER..];
    let hash = digest(body);
    if hash[..] != bytes[8..HEADER] {
        return Err(BundleError::Corrupt("content hash does not match; the file was modified or truncated".to_owned()));
    }
    let policy: Policy = serde_json::from_slice(body).map_err(|e| BundleError::Corrupt(format!("payload does not decode: {e}")))?;
    crate::dag::verify(&policy).map_err(BundleError::Corrupt)?;
    Compiled::with_jit(policy, format!("sha256:{}", hex(&hash)), jit).map_err(BundleError::Corrupt)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Scope;

    fn policy() -> Policy {
        Policy {
            modules: vec![crate::policy::Module { name: "t.p".into(), tenant: None }],
            tenants: vec![],
            records: vec![],
            enums: vec![],
            tools: vec![],
            capabilities: vec![],
            grants: vec![],
            rules: vec![],
            nodes: vec![],
            node_text: vec![],
            names: vec![],
            regexes: vec![],
            global: Some(Scope::default()),
            tenant_scopes: vec![],
        }
    }

    #[test]
    fn round_trips_and_keeps_the_hash() {
        let p = policy();
        let bytes = encode(&p);
        let loaded = decode(&bytes).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(loaded.hash, policy_hash(&p));
        assert!(loaded.hash.starts_with("sha256:") && loaded.hash.len() == 71);
    }

    #[test]
    fn rejects_foreign_newer_and_corrupt_bundles() {
        let bytes = encode(&policy());
        assert_eq!(decode(b"{\"not\": \"a bundle\"}").err(), Some(BundleError::NotABundle));
        assert_eq!(decode(&bytes[..10]).err(), Some(BundleError::NotABundle));
        let mut newer = bytes.clone();
        newer[4] = 9;
        assert_eq!(decode(&newer).err(), Some(BundleError::Version { found: 9 }));
        for at in [HEADER, bytes.len() - 1, 20] {
            let mut corrupt = bytes.clone();
            corrupt[at] ^= 0x01;
            assert!(matches!(decode(&corrupt), Err(BundleError::Corrupt(_))), "flip at {at}");
        }
        assert!(matches!(decode(&bytes[..bytes.len() - 3]), Err(BundleError::Corrupt(_))));
    }
}
