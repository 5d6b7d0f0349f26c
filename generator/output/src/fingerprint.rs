//! Fingerprints: 128-bit hashes that stand for the inputs of an output,
//! or for the bytes of a file.
//!
//! An output is rendered again only when the fingerprint of its declared
//! inputs differs from the one recorded when it was last written. Every
//! fingerprint starts from [`generator_identity`], so a new generator
//! (templates, code, dependencies) never reuses anything older builds
//! recorded.

use std::hash::{Hash, Hasher};
use std::sync::OnceLock;

use xxhash_rust::xxh3::{Xxh3, xxh3_128};

/// A 128-bit hash: collisions are out of reach for any real site.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Fingerprint(pub u128);

impl Fingerprint {
    /// The fingerprint of some bytes (a file's content).
    pub fn of_bytes(bytes: &[u8]) -> Fingerprint {
        Fingerprint(xxh3_128(bytes))
    }

    /// The fingerprint of a value through its `Hash` implementation.
    pub fn of(value: &impl Hash) -> Fingerprint {
        let mut f = Fingerprinter::new();
        value.hash(&mut f);
        f.finish128()
    }

    /// As 32 hexadecimal digits.
    pub fn hex(self) -> String {
        format!("{:032x}", self.0)
    }

    /// Parses [`Fingerprint::hex`].
    pub fn from_hex(hex: &str) -> Option<Fingerprint> {
        (hex.len() == 32)
            .then(|| u128::from_str_radix(hex, 16).ok())
            .flatten()
            .map(Fingerprint)
    }
}

/// Feeds values into a fingerprint (a `Hasher`, so `#[derive(Hash)]`
/// types of the model can be fingerprinted directly).
#[derive(Clone)]
pub struct Fingerprinter(Xxh3);

impl Default for Fingerprinter {
    fn default() -> Self {
        Fingerprinter::new()
    }
}

impl Fingerprinter {
    /// An empty fingerprinter.
    pub fn new() -> Fingerprinter {
        Fingerprinter(Xxh3::new())
    }

    /// Adds `value`; returns `self` for chaining.
    pub fn with(mut self, value: &(impl Hash + ?Sized)) -> Fingerprinter {
        value.hash(&mut self);
        self
    }

    /// The 128-bit result.
    pub fn finish128(&self) -> Fingerprint {
        Fingerprint(self.0.digest128())
    }
}

impl Hasher for Fingerprinter {
    fn finish(&self) -> u64 {
        self.0.digest()
    }

    fn write(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }
}

/// What identifies the generator that renders: its version and the bytes
/// of the running program (so a rebuilt generator with changed code,
/// templates or UI words invalidates every recorded output).
pub fn generator_identity() -> Fingerprint {
    static IDENTITY: OnceLock<Fingerprint> = OnceLock::new();
    *IDENTITY.get_or_init(|| {
        let exe = std::env::current_exe()
            .and_then(std::fs::read)
            .map(|bytes| Fingerprint::of_bytes(&bytes))
            // Without access to its own program, never reuse anything.
            .unwrap_or_else(|_| Fingerprint(std::process::id() as u128 ^ now_nanos()));
        Fingerprinter::new()
            .with(env!("CARGO_PKG_VERSION"))
            .with(&exe)
            .finish128()
    })
}

fn now_nanos() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips() {
        let f = Fingerprint::of_bytes(b"portal");
        assert_eq!(Fingerprint::from_hex(&f.hex()), Some(f));
        assert_eq!(Fingerprint::from_hex("xyz"), None);
    }

    #[test]
    fn order_and_content_matter() {
        let a = Fingerprinter::new().with("a").with("b").finish128();
        let b = Fingerprinter::new().with("b").with("a").finish128();
        let c = Fingerprinter::new().with("ab").finish128();
        assert_ne!(a, b);
        assert_ne!(a, c, "str hashing is length-delimited");
    }
}
