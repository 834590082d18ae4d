//! The vocabulary stays typed: no mutation kind, status, code, entity, op, phase, role or
//! permission is compared as a string anywhere in the Rust sources. Each is an enum; its text
//! appears only where it is (de)serialised, in the file that defines it. This test reads every
//! `.rs` file of the workspace and fails on a comparison of a string literal that is one of
//! those texts (`== "applied"`, `"rep" =>`, `!= "call.submit"`, …).
//!
//! The HTTP tests (`crates/server/tests/`) are exempt on purpose: they read the API as a
//! device does, as JSON, and their literals are the wire contract — comparing the enum there
//! would let a renamed variant silently break every client.

use pharmacrm_domain::code::Code;
use pharmacrm_domain::mutation::MutationStatus;
use pharmacrm_domain::permission::Permission;
use pharmacrm_domain::role::Role;
use pharmacrm_service::sync::{Entity, MutationKind, Op, Phase};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Files that define a vocabulary and so spell its texts: the (de)serialisation.
const DEFINITIONS: &[&str] = &[
    "crates/domain/src/code.rs",
    "crates/domain/src/mutation.rs",
    "crates/domain/src/permission.rs",
    "crates/domain/src/role.rs",
    "crates/service/src/sync/protocol.rs",
    "crates/service/tests/vocabulary.rs",
];

/// Black-box tests of the wire format (see the module doc).
const WIRE_TESTS: &str = "crates/server/tests/";

/// Literals that are a vocabulary word by coincidence, with why, by file.
const COINCIDENCES: &[(&str, &str, &str)] = &[
    (
        "crates/domain/src/stewardship.rs",
        "rejected",
        "a data request's status (RequestStatus::parse), not a mutation's",
    ),
    (
        "crates/server/src/routes/imports.rs",
        "accounts",
        "the import kind in the URL (/imports/accounts), not the pull phase",
    ),
    ("crates/storage/tests/schema.rs", "accounts", "a table name"),
    (
        "crates/service/tests/stewardship.rs",
        "calls",
        "the table a merge moved rows of",
    ),
];

fn text_of<T: serde::Serialize>(value: T) -> String {
    match serde_json::to_value(value).expect("serialises") {
        serde_json::Value::String(s) => s,
        other => panic!("not a string: {other}"),
    }
}

/// Every text of every vocabulary.
fn vocabulary() -> BTreeSet<String> {
    let mut words = BTreeSet::new();
    words.extend(Code::ALL.iter().map(|c| c.as_str().to_string()));
    words.extend(MutationKind::ALL.iter().map(|k| k.as_str().to_string()));
    words.extend(
        [
            MutationStatus::Applied,
            MutationStatus::AppliedWithFlag,
            MutationStatus::Rejected,
        ]
        .map(|s| s.as_str().to_string()),
    );
    words.extend(Role::ALL.map(|r| r.as_str().to_string()));
    words.extend(Permission::ALL.iter().map(|p| p.as_str().to_string()));
    words.extend(Entity::ALL.map(text_of));
    words.extend(Op::ALL.map(text_of));
    words.extend(Phase::ALL.map(text_of));
    words
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("a readable directory") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The string literals compared on a line: `== "x"`, `!= "x"`, `"x" ==`, `"x" !=`, `"x" =>`
/// and `"x" |` (a match pattern).
fn compared_literals(line: &str) -> Vec<String> {
    let mut found = Vec::new();
    let bytes: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != '"' {
            i += 1;
            continue;
        }
        let Some(len) = bytes[i + 1..].iter().position(|c| *c == '"') else {
            break;
        };
        let literal: String = bytes[i + 1..i + 1 + len].iter().collect();
        let before: String = bytes[..i].iter().collect();
        let after: String = bytes[i + 2 + len..].iter().collect();
        let before = before.trim_end();
        let after = after.trim_start();
        let compared = before.ends_with("==")
            || before.ends_with("!=")
            || after.starts_with("==")
            || after.starts_with("!=")
            || after.starts_with("=>")
            || (after.starts_with('|') && !after.starts_with("||"));
        if compared {
            found.push(literal);
        }
        i += len + 2;
    }
    found
}

#[test]
fn no_vocabulary_word_is_compared_as_a_string() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let words = vocabulary();
    let mut files = Vec::new();
    rust_files(&root.join("crates"), &mut files);
    assert!(files.len() > 100, "found only {} Rust files", files.len());
    let mut offences = Vec::new();
    for file in files {
        let relative = file
            .strip_prefix(&root)
            .unwrap_or(&file)
            .to_string_lossy()
            .replace('\\', "/");
        if DEFINITIONS.contains(&relative.as_str()) || relative.starts_with(WIRE_TESTS) {
            continue;
        }
        let text = std::fs::read_to_string(&file).expect("a readable file");
        for (n, line) in text.lines().enumerate() {
            for literal in compared_literals(line) {
                let coincidence = COINCIDENCES
                    .iter()
                    .any(|(f, word, _)| *f == relative && *word == literal);
                if words.contains(&literal) && !coincidence {
                    offences.push(format!(
                        "{relative}:{}: \"{literal}\" compared as a string",
                        n + 1
                    ));
                }
            }
        }
    }
    assert!(
        offences.is_empty(),
        "compare the enum, not its text:\n{}",
        offences.join("\n")
    );
}

#[test]
fn the_scanner_finds_each_shape_of_comparison() {
    assert_eq!(
        compared_literals(r#"if r.status == "applied" {"#),
        ["applied"]
    );
    assert_eq!(compared_literals(r#"if "rep" != role {"#), ["rep"]);
    assert_eq!(
        compared_literals(r#"    "call.submit" | "hcp.propose" => x,"#),
        ["call.submit", "hcp.propose"]
    );
    assert!(compared_literals(r#"let x = "applied";"#).is_empty());
    assert!(compared_literals(r#"assert!(a || "x".is_empty())"#).is_empty());
}
