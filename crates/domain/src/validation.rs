//! Field-level validation errors: every rule that rejects input says which field and why,
//! so the API, the importer and the UI can point at the exact place to fix.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Whether `c` is a control character no text field may hold: C0 other than tab, line feed
/// and carriage return, and DEL. (PostgreSQL cannot store U+0000 at all; the others are
/// never data a user typed.)
pub fn is_refused_control(c: char) -> bool {
    (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{7f}'
}

/// `text` with every refused control character replaced by U+FFFD, for echoing input back
/// in a message that is stored.
pub fn printable(text: &str) -> String {
    text.chars()
        .map(|c| if is_refused_control(c) { '\u{fffd}' } else { c })
        .collect()
}

/// A field error for every string in `value` (object keys too) that holds a refused control
/// character, named by its path (`payload.notes`, `lines[0].note`) under `at`.
pub fn control_characters(value: &serde_json::Value, at: &str) -> ValidationErrors {
    let mut errors = ValidationErrors::new();
    walk_controls(value, at, &mut errors);
    errors
}

fn walk_controls(value: &serde_json::Value, at: &str, errors: &mut ValidationErrors) {
    use serde_json::Value;
    let refused = |s: &str| s.chars().any(is_refused_control);
    let message = "holds a control character (only tab and line breaks are allowed)";
    match value {
        Value::String(s) if refused(s) => errors.add(path_or_body(at), message),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk_controls(item, &format!("{at}[{i}]"), errors);
            }
        }
        Value::Object(fields) => {
            for (key, item) in fields {
                let here = if at.is_empty() {
                    printable(key)
                } else {
                    format!("{at}.{}", printable(key))
                };
                if refused(key) {
                    errors.add(here.clone(), "the field name holds a control character");
                }
                walk_controls(item, &here, errors);
            }
        }
        _ => {}
    }
}

fn path_or_body(at: &str) -> String {
    if at.is_empty() {
        "body".into()
    } else {
        at.to_string()
    }
}

/// One problem with one input field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FieldError {
    /// Dotted path of the field, e.g. `npi` or `licences[0].state`.
    pub field: String,
    /// What is wrong, in words a user can act on.
    pub message: String,
}

/// All problems found in one input; empty means valid.
#[derive(Debug, Clone, Default, PartialEq, Eq, thiserror::Error)]
#[error("invalid input: {}", .0.iter().map(|e| format!("{}: {}", e.field, e.message)).collect::<Vec<_>>().join("; "))]
pub struct ValidationErrors(pub Vec<FieldError>);

impl ValidationErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn single(field: impl Into<String>, message: impl Into<String>) -> Self {
        let mut errors = Self::new();
        errors.add(field, message);
        errors
    }

    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.into(),
            message: message.into(),
        });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Records the error of `result` under `field` and returns its value, if any.
    pub fn check<T, E: std::fmt::Display>(
        &mut self,
        field: &str,
        result: Result<T, E>,
    ) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(e) => {
                self.add(field, e.to_string());
                None
            }
        }
    }

    /// `Ok(value)` when no error was recorded.
    pub fn into_result<T>(self, value: impl FnOnce() -> T) -> Result<T, ValidationErrors> {
        if self.is_empty() {
            Ok(value())
        } else {
            Err(self)
        }
    }
}

/// Trims and rejects an empty required text.
pub fn required(errors: &mut ValidationErrors, field: &str, value: &str) -> String {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        errors.add(field, "is required");
    } else if trimmed.chars().count() > 200 {
        errors.add(field, "must be at most 200 characters");
    }
    trimmed.to_string()
}

/// Trims an optional text; blank becomes `None`.
pub fn optional(value: Option<&str>) -> Option<String> {
    value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}

#[cfg(test)]
mod control_tests {
    use super::*;

    #[test]
    fn control_characters_are_named_by_their_path_and_line_breaks_pass() {
        let value = serde_json::json!({
            "notes": "line one\nline two\ttabbed\r\n",
            "hcp_ids": ["a\u{0}b"],
            "lines": [{"note": "ok"}, {"note": "bell\u{7}"}],
            "x\u{1}": 1,
        });
        let fields: Vec<String> = control_characters(&value, "payload")
            .0
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            [
                "payload.hcp_ids[0]",
                "payload.lines[1].note",
                "payload.x\u{fffd}"
            ]
        );
        assert!(control_characters(&serde_json::json!("\u{7f}"), "").0[0].field == "body");
        assert_eq!(printable("a\u{0}b\n"), "a\u{fffd}b\n");
    }
}
