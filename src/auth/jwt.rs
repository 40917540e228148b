//! Session tokens: HS256 only, `exp` always checked, secret from config or
//! generated once into the data folder. A token names a session row
//! (`sid`), which the server can end before the token expires.

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
    /// The session the token belongs to (a row in `sessions`).
    pub sid: String,
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

/// What a verified token names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenSession {
    /// The account.
    pub user_id: i64,
    /// The session row.
    pub sid: String,
}

/// A token just issued, with what the session row needs.
#[derive(Debug, Clone)]
pub struct Issued {
    /// The JWT.
    pub token: String,
    /// Its session id.
    pub sid: String,
    /// Issued at (seconds since the epoch).
    pub issued_at: u64,
    /// Expiry (seconds since the epoch).
    pub expires_at: u64,
}

/// Seconds since the epoch.
pub fn now() -> u64 {
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

    /// Issues a token for `user` naming a new session id (which the
    /// caller stores before handing the token out).
    pub fn issue(&self, user: &SessionUser) -> Result<Issued, AppError> {
        let iat = now();
        let claims = Claims {
            sub: user.id.to_string(),
            name: user.username.clone(),
            sid: random_id()?,
            iat,
            exp: iat + self.ttl.as_secs(),
        };
        let token =
            encode(&Header::new(Algorithm::HS256), &claims, &self.encoding).map_err(|err| {
                tracing::error!(%err, "cannot sign token");
                AppError::Internal
            })?;
        Ok(Issued {
            token,
            sid: claims.sid,
            issued_at: iat,
            expires_at: claims.exp,
        })
    }

    /// Verifies a token's signature and expiry and returns what it names.
    /// Tokens from before sessions were rows (no `sid`) are refused.
    pub fn verify(&self, token: &str) -> Result<TokenSession, AppError> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 5;
        validation.set_required_spec_claims(&["exp", "sub"]);
        let data = decode::<Claims>(token, &self.decoding, &validation)
            .map_err(|_| AppError::Unauthorized)?;
        let user_id = data
            .claims
            .sub
            .parse()
            .map_err(|_| AppError::Unauthorized)?;
        Ok(TokenSession {
            user_id,
            sid: data.claims.sid,
        })
    }
}

/// 128 random bits, base64url: an id no one can guess (sessions,
/// invitations).
pub fn random_id() -> Result<String, AppError> {
    use base64::Engine;
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|err| {
        tracing::error!(%err, "no randomness for a session id");
        AppError::Internal
    })?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
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
        crate::config::create_private_dir(parent)?;
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
        let issued = keys.issue(&user()).expect("token");
        let token = issued.token;
        assert_eq!(
            keys.verify(&token),
            Ok(TokenSession {
                user_id: 7,
                sid: issued.sid.clone()
            })
        );
        assert_eq!(issued.sid.len(), 22, "128 bits in base64url");
        assert_ne!(keys.issue(&user()).expect("token").sid, issued.sid);
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
            sid: "s".into(),
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
        // A token signed before sessions were rows names no session.
        #[derive(Serialize)]
        struct Old {
            sub: String,
            exp: u64,
        }
        let old = encode(
            &Header::new(Algorithm::HS256),
            &Old {
                sub: "7".into(),
                exp: now() + 60,
            },
            &EncodingKey::from_secret(&[1u8; 32]),
        )
        .expect("encode");
        assert_eq!(keys.verify(&old), Err(AppError::Unauthorized));
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
