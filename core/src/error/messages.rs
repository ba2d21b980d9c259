//! What an error says: its message as the English and the Chinese half, and its values by
//! name for the bindings' exceptions.

use super::LedgerError;
use super::clip::{Clip, TEXT};

/// Splits a message written "English / 中文" at the first " / " followed by a Chinese
/// character; a message with no such split is both halves.
pub(crate) fn split_languages(msg: &str) -> (String, String) {
    let is_cjk =
        |c: char| ('\u{4E00}'..='\u{9FFF}').contains(&c) || ('\u{3400}'..='\u{4DBF}').contains(&c);
    let mut from = 0;
    while let Some(i) = msg
        .get(from..)
        .and_then(|s| s.find(" / "))
        .map(|i| i + from)
    {
        let rest = msg.get(i + 3..).unwrap_or_default();
        if rest.chars().next().is_some_and(is_cjk) {
            return (msg.get(..i).unwrap_or(msg).to_owned(), rest.to_owned());
        }
        from = i + 3;
    }
    (msg.to_owned(), msg.to_owned())
}

impl LedgerError {
    /// The message in English and in Chinese (the two halves of `Display`).
    pub fn messages(&self) -> (String, String) {
        split_languages(&self.to_string())
    }

    /// The error's values by the names of its fields (`record`, `actor`, `seq`, `detail` …),
    /// each as text and cut as the message cuts it (120 characters at most, with `…`):
    /// what the bindings attach to their exceptions. Empty for an error with no values.
    pub fn fields(&self) -> std::collections::BTreeMap<String, String> {
        let mut out = std::collections::BTreeMap::new();
        let Ok(serde_json::Value::Object(outer)) = serde_json::to_value(self) else {
            return out;
        };
        for (_, inner) in outer {
            let serde_json::Value::Object(values) = inner else {
                continue;
            };
            for (name, value) in values {
                let text = match value {
                    serde_json::Value::String(s) => s,
                    other => other.to_string(),
                };
                out.insert(name, Clip(&text, TEXT).to_string());
            }
        }
        out
    }
}
