//! Who may see which master data. The rule: field roles (rep, manager) see the HCPs and
//! accounts aligned to their current territories; head-office roles see everything.
//! Storage applies the resulting [`Scope`] inside every query.

use crate::role::Role;
use uuid::Uuid;

/// The data a user may read and write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Every record (ops, admin, marketing, compliance, and local CLI work).
    All,
    /// Only records aligned, as of today, to one of these territories. May be empty
    /// (a rep without a current assignment sees nothing).
    Territories(Vec<Uuid>),
}

impl Scope {
    /// The scope of a user of `role` whose current assignments cover `territories`.
    pub fn for_role(role: Role, territories: Vec<Uuid>) -> Scope {
        match role {
            Role::Rep | Role::Manager => Scope::Territories(territories),
            Role::Ops | Role::Marketing | Role::Compliance | Role::Admin => Scope::All,
        }
    }

    pub fn includes(&self, territory: Option<Uuid>) -> bool {
        match self {
            Scope::All => true,
            Scope::Territories(ts) => territory.is_some_and(|t| ts.contains(&t)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_roles_are_limited_to_their_territories() {
        let t = crate::new_id();
        let other = crate::new_id();
        let rep = Scope::for_role(Role::Rep, vec![t]);
        assert!(rep.includes(Some(t)));
        assert!(!rep.includes(Some(other)));
        assert!(!rep.includes(None));
        assert_eq!(Scope::for_role(Role::Ops, vec![]), Scope::All);
        assert!(!Scope::for_role(Role::Manager, vec![]).includes(Some(t)));
    }
}
