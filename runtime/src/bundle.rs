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
                write!(f, "bundle format version {found} is not supported (this build reads version {FORMAT_VERSION}); recompile the policy")
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

/// Loads and verifies a bundle.
pub fn decode(bytes: &[u8]) -> Result<Compiled, BundleError> {
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
        return Err(BundleError::Corrupt(
            "content hash does not match; the file was modified or truncated".to_owned(),
        ));
    }
    let policy: Policy = serde_json::from_slice(body)
        .map_err(|e| BundleError::Corrupt(format!("payload does not decode: {e}")))?;
    crate::dag::verify(&policy).map_err(BundleError::Corrupt)?;
    Compiled::new(policy, format!("sha256:{}", hex(&hash))).map_err(BundleError::Corrupt)
}
