//! `providers.toml`: extra OpenAI-compatible endpoints beside Local AI and
//! Hugging Face.
//!
//! ```toml
//! [[provider]]
//! id = "ollama"                          # letters, digits, - and _
//! name = "Ollama"                        # shown in the picker
//! kind = "ollama"                        # lmstudio | localai | textgen-webui | ollama | huggingface | openai
//! base_url = "http://localhost:11434/v1" # or the full …/chat/completions URL
//! api_key_env = "OLLAMA_API_KEY"         # optional: the variable holding its key
//! model = "llama3.2"                     # optional default model
//! fallback = "huggingface"               # optional: answers when this one is down
//! ```

use super::ProviderKind;
use crate::config::normalize_completions_url;
use secrecy::SecretString;
use serde::Deserialize;

/// One provider from the file, resolved (URL normalised, key read).
#[derive(Clone)]
pub struct ProviderSpec {
    /// Stable id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Family.
    pub kind: ProviderKind,
    /// Chat-completions URL.
    pub url: String,
    /// Name of the variable holding the key, when one is used.
    pub api_key_env: Option<String>,
    /// The key, when the variable is set.
    pub api_key: Option<SecretString>,
    /// Default model.
    pub model: Option<String>,
    /// Id of the provider that answers when this one is down.
    pub fallback: Option<String>,
}

/// Its key stays out of logs, and its URL's `user:password@` too.
impl std::fmt::Debug for ProviderSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProviderSpec")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("kind", &self.kind)
            .field("url", &super::safe_url(&self.url))
            .field("api_key_env", &self.api_key_env)
            .field("api_key", &self.api_key)
            .field("model", &self.model)
            .field("fallback", &self.fallback)
            .finish()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    provider: Vec<RawProvider>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProvider {
    id: String,
    name: Option<String>,
    kind: String,
    base_url: String,
    api_key_env: Option<String>,
    model: Option<String>,
    fallback: Option<String>,
}

/// Ids the built-in providers use.
pub const RESERVED_IDS: [&str; 2] = [super::LOCAL, super::HUGGINGFACE];

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 40
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// Reads the file's text; `env` looks up the key variables. The error says
/// which provider and field is wrong.
pub fn parse_providers_file(
    text: &str,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Vec<ProviderSpec>, String> {
    let raw: RawFile = toml::from_str(text).map_err(|e| e.message().to_string())?;
    let mut specs: Vec<ProviderSpec> = Vec::new();
    for p in raw.provider {
        let id = p.id.trim().to_string();
        let at = format!("provider \"{id}\"");
        if !valid_id(&id) {
            return Err(format!(
                "{at}: the id must be 1-40 lowercase letters, digits, - or _"
            ));
        }
        if RESERVED_IDS.contains(&id.as_str()) || specs.iter().any(|s| s.id == id) {
            return Err(format!("{at}: the id is already used"));
        }
        let kind = ProviderKind::parse(&p.kind).ok_or_else(|| {
            format!(
                "{at}: kind '{}' is not one of lmstudio, localai, textgen-webui, ollama, huggingface, openai",
                p.kind
            )
        })?;
        let url =
            normalize_completions_url(&p.base_url).map_err(|m| format!("{at}: base_url: {m}"))?;
        let api_key_env = p
            .api_key_env
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty());
        let api_key = api_key_env
            .as_deref()
            .and_then(&env)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .map(SecretString::from);
        specs.push(ProviderSpec {
            name: p
                .name
                .map(|n| n.trim().to_string())
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| id.clone()),
            id,
            kind,
            url,
            api_key_env,
            api_key,
            model: p
                .model
                .map(|m| m.trim().to_string())
                .filter(|m| !m.is_empty()),
            fallback: p
                .fallback
                .map(|f| f.trim().to_string())
                .filter(|f| !f.is_empty()),
        });
    }
    Ok(specs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    const EXAMPLE: &str = r#"
[[provider]]
id = "ollama"
name = "Ollama"
kind = "ollama"
base_url = "http://localhost:11434/v1"
model = "llama3.2"
fallback = "huggingface"

[[provider]]
id = "textgen"
kind = "textgen-webui"
base_url = "http://127.0.0.1:5000"
api_key_env = "TEXTGEN_KEY"
"#;

    #[test]
    fn a_file_with_two_providers_is_read() {
        let specs =
            parse_providers_file(EXAMPLE, |k| (k == "TEXTGEN_KEY").then(|| "s3cret".into()))
                .expect("valid file");
        assert_eq!(specs.len(), 2);
        assert_eq!(specs[0].url, "http://localhost:11434/v1/chat/completions");
        assert_eq!(specs[0].kind, ProviderKind::Ollama);
        assert_eq!(specs[0].fallback.as_deref(), Some("huggingface"));
        assert_eq!(specs[1].name, "textgen");
        assert_eq!(specs[1].url, "http://127.0.0.1:5000/v1/chat/completions");
        assert_eq!(
            specs[1].api_key.as_ref().map(|k| k.expose_secret()),
            Some("s3cret")
        );
    }

    #[test]
    fn mistakes_name_the_provider_and_field() {
        let bad_kind = "[[provider]]\nid = \"x\"\nkind = \"gpt\"\nbase_url = \"http://h/v1\"\n";
        let err = parse_providers_file(bad_kind, |_| None).expect_err("bad kind");
        assert!(
            err.contains("provider \"x\"") && err.contains("kind 'gpt'"),
            "{err}"
        );
        let taken = "[[provider]]\nid = \"local\"\nkind = \"openai\"\nbase_url = \"http://h/v1\"\n";
        assert!(parse_providers_file(taken, |_| None)
            .expect_err("reserved")
            .contains("already used"));
        let bad_url = "[[provider]]\nid = \"y\"\nkind = \"openai\"\nbase_url = \"not a url\"\n";
        assert!(parse_providers_file(bad_url, |_| None)
            .expect_err("url")
            .contains("base_url"));
        let typo = "[[provider]]\nid = \"z\"\nkind = \"openai\"\nbase_url = \"http://h/v1\"\nmodle = \"m\"\n";
        assert!(parse_providers_file(typo, |_| None)
            .expect_err("unknown field")
            .contains("modle"));
        assert!(parse_providers_file("not toml = = 1", |_| None).is_err());
    }
}
