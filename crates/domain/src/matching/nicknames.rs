//! Given-name equivalents: each group lists a formal name first and the short forms and
//! spelling variants people go by. Used to compare first names ("Bob" is "Robert") and to
//! block on the formal name, so a nickname still lands in the right candidate block.

use std::collections::HashMap;
use std::sync::OnceLock;

/// Formal name, then the names that stand for it (lower case, letters only).
const GROUPS: &[&str] = &[
    "abigail abby abbie gail",
    "albert al bert bertie",
    "alexander alex alec sandy xander aleksandr alexandr sasha",
    "alexandra alex alexa sandra sasha lexi aleksandra",
    "alfred al alf fred freddie",
    "andrew andy drew andrei andrey",
    "anthony tony antony anton",
    "arthur art artie",
    "barbara barb barbie babs",
    "benjamin ben benny benji",
    "bernard bernie",
    "beverly bev",
    "bradley brad",
    "catherine cathy kate katie cat catharine cathryn",
    "charles charlie chuck chas carl karl",
    "christina chris tina christine kristina",
    "christopher chris kit topher",
    "cynthia cindy",
    "daniel dan danny",
    "david dave davey",
    "deborah deb debbie debra",
    "dennis denny",
    "donald don donny",
    "dorothy dot dottie",
    "douglas doug",
    "edward ed eddie ted ned",
    "elizabeth liz beth betty lisa eliza betsy libby elisabeth",
    "eugene gene",
    "frances fran frankie",
    "francis frank",
    "frederick fred freddy fritz",
    "gabriel gabe",
    "gerald gerry jerry",
    "gregory greg",
    "harold hal harry",
    "henry hank harry",
    "isabel isabelle bella izzy",
    "jacob jake",
    "james jim jimmy jamie",
    "janet jan",
    "jeffrey jeff geoffrey",
    "jennifer jen jenny",
    "jessica jess jessie",
    "john jack johnny jon ivan juan johann",
    "jonathan jon jonny",
    "joseph joe joey jose giuseppe",
    "joshua josh",
    "judith judy",
    "katherine kate kathy katie kat kathryn",
    "kenneth ken kenny",
    "kimberly kim",
    "lawrence larry laurence",
    "leonard leo len lenny",
    "louis lou lewis luis",
    "margaret maggie meg peggy marge margie greta",
    "matthew matt matty",
    "michael mike mick mickey mikhail miguel",
    "melissa mel missy",
    "nancy nan",
    "nathaniel nate nathan nat",
    "nicholas nick nicky nikolai",
    "pamela pam",
    "patricia pat patty trish tricia",
    "patrick pat paddy",
    "peter pete pyotr pedro",
    "philip phil phillip",
    "rebecca becky becca",
    "richard rich rick dick rickie",
    "robert rob bob bobby robbie bert",
    "ronald ron ronnie",
    "samantha sam sammy",
    "samuel sam sammy",
    "stephen steve stevie steven stefan",
    "susan sue susie suzanne",
    "theodore ted teddy theo",
    "thomas tom tommy",
    "timothy tim timmy",
    "victoria vicky tori",
    "vincent vince vinny",
    "walter walt wally",
    "william will bill billy willy liam wilhelm",
    "zachary zach zack",
];

fn table() -> &'static HashMap<&'static str, Vec<&'static str>> {
    static TABLE: OnceLock<HashMap<&'static str, Vec<&'static str>>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut map: HashMap<&'static str, Vec<&'static str>> = HashMap::new();
        for group in GROUPS {
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
    for group in GROUPS {
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
        assert!(GROUPS.iter().flat_map(|g| g.split_whitespace()).all(|n| variants(n).iter().all(|v| equivalent(n, v))));
    }
}
