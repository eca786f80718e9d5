//! Digests of random secrets (session, API and gateway tokens). The tokens carry 256 random bits,
//! so a fast SHA-256 is enough; only the digest is ever stored.

use sha2::{Digest, Sha256};

pub fn digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}
