//! Argon2id password hashing with pinned parameters (OWASP: m=19456 KiB, t=2, p=1), upgrade of
//! weaker hashes on login, and a dummy verification for unknown users so that timing does not
//! reveal which usernames exist.

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
use argon2::{Algorithm, Argon2, Params, Version};

pub const MEMORY_KIB: u32 = 19_456;
pub const ITERATIONS: u32 = 2;
pub const PARALLELISM: u32 = 1;

/// The result of checking a password against a stored hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verification {
    /// The password matches; `needs_rehash` when the hash was made with weaker parameters.
    Valid {
        needs_rehash: bool,
    },
    Invalid,
}

#[derive(Debug, thiserror::Error)]
#[error("password hashing failed: {0}")]
pub struct HashError(String);

/// Hashes and verifies passwords. Cheap to clone: it holds the parameters and one dummy hash.
#[derive(Clone)]
pub struct PasswordHasher {
    params: Params,
    dummy_hash: String,
}

impl std::fmt::Debug for PasswordHasher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PasswordHasher").finish_non_exhaustive()
    }
}

impl PasswordHasher {
    /// The pinned parameters; computes the dummy hash once (tens of milliseconds).
    pub fn new() -> Result<Self, HashError> {
        let params = Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, None).map_err(|e| HashError(e.to_string()))?;
        let mut hasher = PasswordHasher { params, dummy_hash: String::new() };
        let random: [u8; 16] = rand::random();
        hasher.dummy_hash = hasher.hash(&hex(&random))?;
        Ok(hasher)
    }

    fn argon2(&self) -> Argon2<'static> {
        Argon2::new(Algorithm::Argon2id, Version::V0x13, self.params.clone())
    }

    /// A PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`) with a fresh random salt.
    pub fn hash(&self, password: &str) -> Result<String, HashError> {
        self.argon2().hash_password(password.as_bytes()).map(|h| h.to_string()).map_err(|e| HashError(e.to_string()))
    }

    /// Checks a password against a stored PHC string. An unreadable stored hash never matches.
    pub fn verify(&self, password: &str, stored: &str) -> Verification {
        let Ok(parsed) = PasswordHash::new(stored) else {
            return Verification::Invalid;
        };
        if self.argon2().verify_password(password.as_bytes(), &parsed).is_err() {
            return Verification::Invalid;
        }
        Verification::Valid { needs_rehash: self.is_weaker(&parsed) }
    }

    /// Spends the time of a real verification, for a username that does not exist.
    pub fn verify_dummy(&self, password: &str) {
        let _ = self.verify(password, &self.dummy_hash);
    }

    fn is_weaker(&self, parsed: &PasswordHash) -> bool {
        if parsed.algorithm.as_str() != Algorithm::Argon2id.as_str() {
            return true;
        }
        match Params::try_from(parsed) {
            Ok(p) => p.m_cost() < self.params.m_cost() || p.t_cost() < self.params.t_cost(),
            Err(_) => true,
        }
    }
}

/// Lowercase hexadecimal of bytes.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A random password for generated accounts: 20 characters from an alphabet without look-alikes.
pub fn generate_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    use rand::Rng;
    let mut rng = rand::rng();
    (0..20).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::password_hash::CustomizedPasswordHasher as _;

    #[test]
    fn hashes_are_argon2id_with_the_pinned_parameters() {
        let hasher = PasswordHasher::new().unwrap();
        let hash = hasher.hash("một mật khẩu dài").unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
        assert_eq!(hasher.verify("một mật khẩu dài", &hash), Verification::Valid { needs_rehash: false });
        assert_eq!(hasher.verify("một mật khẩu dàI", &hash), Verification::Invalid);
        assert_ne!(hash, hasher.hash("một mật khẩu dài").unwrap(), "salts must differ");
    }

    #[test]
    fn weaker_hashes_ask_to_be_rehashed() {
        let hasher = PasswordHasher::new().unwrap();
        let weak_params = Params::new(8_192, 1, 1, None).unwrap();
        let weak = Argon2::default()
            .hash_password_customized(b"correct horse battery", b"saltsaltsaltsalt", None, None, weak_params)
            .unwrap()
            .to_string();
        assert!(weak.contains("m=8192,t=1"));
        assert_eq!(hasher.verify("correct horse battery", &weak), Verification::Valid { needs_rehash: true });
        let argon2i = Argon2::new(Algorithm::Argon2i, Version::V0x13, Params::default())
            .hash_password(b"correct horse battery")
            .unwrap()
            .to_string();
        assert_eq!(hasher.verify("correct horse battery", &argon2i), Verification::Valid { needs_rehash: true });
    }

    #[test]
    fn garbage_never_verifies() {
        let hasher = PasswordHasher::new().unwrap();
        assert_eq!(hasher.verify("anything at all", "not a hash"), Verification::Invalid);
        assert_eq!(hasher.verify("anything at all", ""), Verification::Invalid);
    }

    #[test]
    fn generated_passwords_meet_the_policy_and_differ() {
        let a = generate_password();
        assert_eq!(a.chars().count(), 20);
        assert!(crate::domain::account::password("p", &a).is_ok());
        assert_ne!(a, generate_password());
    }
}
