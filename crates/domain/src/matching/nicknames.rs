//! Given-name equivalents: each group lists a formal name first and the short forms and
//! spelling variants people go by. Used to compare first names ("Bob" is "Robert") and to
//! block on the formal name, so a nickname still lands in the right candidate block.

use std::collections::HashMap;
use std::sync::OnceLock;

/// The groups, one per line of `data/nicknames.txt` (shared with the field app, which reads the
/// same file): formal name first, then the names that stand for it (lower case, letters only).
const DATA: &str = include_str!("../../data/nicknames.txt");

/// The groups of the table, in file order (blank lines and `#` comments skipped).
fn groups() -> impl Iterator<Item = &'static str> {
    DATA.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

fn table() -> &'static HashMap<&'static str, Vec<&'static str>> {
    static TABLE: OnceLock<HashMap<&'static str, Vec<&'static str>>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut map: HashMap<&'static str, Vec<&'static str>> = HashMap::new();
        for group in groups() {
            let mut names = group.split_whitespace();
            let formal = names.next().unwrap_or_default();
            map.entry(formal).or_default().push(formal);
            for name in names {
                map.entry(name).or_default().push(formal);
            }
        }
        map
    })
}

/// The formal names a (normalised) given name may stand for; the name itself when it is
/// in no group. "pat" gives both "patricia" and "patrick".
pub fn formal_names(name: &str) -> Vec<&str> {
    match table().get(name) {
        Some(formals) => formals.clone(),
        None => vec![name],
    }
}

/// Whether two normalised given names are known forms of one name.
pub fn equivalent(a: &str, b: &str) -> bool {
    let fa = formal_names(a);
    formal_names(b).iter().any(|f| fa.contains(f))
}

/// Every other form the table knows of a (normalised) given name: the other members of each
/// group it belongs to ("robert" → "rob", "bob", "bobby", "robbie", "bert"). Empty when the
/// name is in no group. Each is [`equivalent`] to the name; test-data generators use this to
/// stay consistent with the table.
pub fn variants(name: &str) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for group in groups() {
        if group.split_whitespace().any(|n| n == name) {
            for n in group.split_whitespace() {
                if n != name && !out.contains(&n) {
                    out.push(n);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nicknames_meet_at_the_formal_name() {
        assert!(equivalent("bob", "robert"));
        assert!(equivalent("bill", "liam"));
        assert!(equivalent("pat", "patricia"));
        assert!(equivalent("pat", "patrick"));
        assert!(!equivalent("patricia", "patrick"));
        assert!(!equivalent("ana", "anna"));
        assert_eq!(formal_names("zelda"), vec!["zelda"]);
        assert!(variants("robert").contains(&"bob"));
        assert!(variants("pat").contains(&"patricia") && variants("pat").contains(&"patrick"));
        assert!(variants("zelda").is_empty());
        assert_eq!(groups().count(), 82);
        assert!(groups().all(|g| g
            .split_whitespace()
            .all(|n| n.bytes().all(|b| b.is_ascii_lowercase()))));
        assert!(groups()
            .flat_map(|g| g.split_whitespace())
            .all(|n| variants(n).iter().all(|v| equivalent(n, v))));
    }
}
