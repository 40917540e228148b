//! Rules for usernames and passwords, shared by the page and the server.

use crate::error::{AppError, Invalid};

/// Shortest accepted password.
pub const MIN_PASSWORD_LEN: usize = 8;
/// Longest accepted password (argon2 cost stays bounded).
pub const MAX_PASSWORD_LEN: usize = 256;

/// Checks a username: 3 to 32 letters, digits, `.`, `-` or `_`.
pub fn check_username(username: &str) -> Result<(), AppError> {
    let len = username.chars().count();
    if !(3..=32).contains(&len) {
        return Err(Invalid::UsernameLength { min: 3, max: 32 }.into());
    }
    if !username
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
    {
        return Err(Invalid::UsernameCharacters.into());
    }
    Ok(())
}

/// Checks a new password's length.
pub fn check_password(password: &str) -> Result<(), AppError> {
    let len = password.chars().count();
    if len < MIN_PASSWORD_LEN {
        return Err(Invalid::PasswordTooShort {
            min: MIN_PASSWORD_LEN,
        }
        .into());
    }
    if password.len() > MAX_PASSWORD_LEN {
        return Err(Invalid::PasswordTooLong {
            max: MAX_PASSWORD_LEN,
        }
        .into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames() {
        assert!(check_username("ana").is_ok());
        assert!(check_username("ana.maria_2-x").is_ok());
        assert!(check_username("an").is_err());
        assert!(check_username("ana maria").is_err());
        assert!(check_username("<script>").is_err());
        assert!(check_username(&"a".repeat(33)).is_err());
    }

    #[test]
    fn passwords() {
        assert!(check_password("12345678").is_ok());
        assert!(check_password("1234567").is_err());
        assert!(check_password(&"x".repeat(257)).is_err());
    }
}
