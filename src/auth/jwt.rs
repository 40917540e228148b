//! Session tokens: HS256 only, `exp` always checked, secret from config or
//! generated once into the data folder.

use crate::error::AppError;
use crate::model::SessionUser;
use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// What a token says.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// User id, as a string per RFC 7519.
    pub sub: String,
    /// Username at issue time.
    pub name: String,
    /// Issued at (seconds since the epoch).
    pub iat: u64,
    /// Expiry (seconds since the epoch).
    pub exp: u64,
}

/// Keys and lifetime for session tokens.
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    /// How long a token lives.
    pub ttl: Duration,
}

impl std::fmt::Debug for JwtKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwtKeys")
            .field("ttl", &self.ttl)
            .finish_non_exhaustive()
    }
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}

impl JwtKeys {
    /// Keys from a secret of at least 32 bytes.
    pub fn new(secret: &[u8], ttl: Duration) -> Self {
        JwtKeys {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            ttl,
        }
    }

    /// Issues a token for `user`.
    pub fn issue(&self, user: &SessionUser) -> Result<String, AppError> {
        let iat = now();
        let claims = Claims {
            sub: user.id.to_string(),
            name: user.username.clone(),
            iat,
            exp: iat + self.ttl.as_secs(),
        };
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding).map_err(|err| {
            tracing::error!(%err, "cannot sign token");
            AppError::Internal
        })
    }

    /// Verifies a token and returns the user id it names.
    pub fn verify(&self, token: &str) -> Result<i64, AppError> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 5;
        validation.set_required_spec_claims(&["exp", "sub"]);
        let data = decode::<Claims>(token, &self.decoding, &validation)
            .map_err(|_| AppError::Unauthorized)?;
        data.claims.sub.parse().map_err(|_| AppError::Unauthorized)
    }
}

/// Reads the generated secret from `path`, creating it (256 random bits,
/// mode 0600) on first start.
pub fn load_or_create_secret(path: &Path) -> std::io::Result<Vec<u8>> {
    use base64::Engine;
    let engine = base64::engine::general_purpose::STANDARD_NO_PAD;
    if let Ok(text) = std::fs::read_to_string(path) {
        if let Ok(bytes) = engine.decode(text.trim()) {
            if bytes.len() >= 32 {
                return Ok(bytes);
            }
        }
        return Err(std::io::Error::other(format!(
            "{} does not hold a valid secret; delete it to have a new one generated (every session ends)",
            path.display()
        )));
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let mut secret = vec![0u8; 32];
    getrandom::fill(&mut secret).map_err(|e| std::io::Error::other(e.to_string()))?;
    write_private(path, engine.encode(&secret).as_bytes())?;
    Ok(secret)
}

#[cfg(unix)]
fn write_private(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(contents)
}

#[cfg(not(unix))]
fn write_private(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, contents)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user() -> SessionUser {
        SessionUser {
            id: 7,
            username: "ana".into(),
            is_admin: false,
        }
    }

    #[test]
    fn issued_tokens_verify_and_others_do_not() {
        let keys = JwtKeys::new(&[1u8; 32], Duration::from_secs(60));
        let token = keys.issue(&user()).expect("token");
        assert_eq!(keys.verify(&token), Ok(7));
        let other = JwtKeys::new(&[2u8; 32], Duration::from_secs(60));
        assert_eq!(other.verify(&token), Err(AppError::Unauthorized));
        assert_eq!(keys.verify("garbage"), Err(AppError::Unauthorized));
    }

    #[test]
    fn expired_and_unsigned_tokens_are_refused() {
        let keys = JwtKeys::new(&[1u8; 32], Duration::from_secs(60));
        let old = Claims {
            sub: "7".into(),
            name: "ana".into(),
            iat: 1,
            exp: 2,
        };
        let token = encode(
            &Header::new(Algorithm::HS256),
            &old,
            &EncodingKey::from_secret(&[1u8; 32]),
        )
        .expect("encode");
        assert_eq!(keys.verify(&token), Err(AppError::Unauthorized));
        // alg "none": header {"alg":"none"} with a valid payload and no signature.
        let none = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiI3IiwibmFtZSI6ImFuYSIsImlhdCI6MSwiZXhwIjo0MTAyNDQ0ODAwfQ.";
        assert_eq!(keys.verify(none), Err(AppError::Unauthorized));
    }

    #[test]
    fn generated_secret_is_private_and_stable() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("sub").join("jwt_secret");
        let first = load_or_create_secret(&path).expect("create");
        assert_eq!(first.len(), 32);
        assert_eq!(load_or_create_secret(&path).expect("reload"), first);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
