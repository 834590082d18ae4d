//! What each role may do: one `Permission` enum and one table granting permissions to roles.
//! Services ask `Principal::require(permission)`; `/api/v1/me` sends the caller's
//! permissions so the web app shows what the server allows, never a role list of its own.
//! Which records a permission reaches (territories, a district's reps) is scope, applied in
//! SQL, not here.

use crate::role::Role;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

macro_rules! permissions {
    ($($(#[doc = $doc:tt])+ $variant:ident = $text:tt, $action:tt,)+) => {
        /// Something a user may do.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
        pub enum Permission {
            $($(#[doc = $doc])+ #[serde(rename = $text)] $variant,)+
        }

        impl Permission {
            pub const ALL: &'static [Permission] = &[$(Permission::$variant,)+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(Permission::$variant => $text,)+
                }
            }

            /// The action, as a refusal names it ("a marketing user cannot …").
            pub fn action(self) -> &'static str {
                match self {
                    $(Permission::$variant => $action,)+
                }
            }
        }
    };
}

permissions! {
    /// Report calls on HCPs of one's territories (sync `call.submit`).
    ReportCalls = "report_calls", "report calls",
    /// Hold a sample inventory: disburse, request, receive, transfer, return, count.
    HoldSamples = "hold_samples", "hold sample inventory",
    /// Create HCPs and propose new HCPs and changes (field roles inside their territories).
    ProposeMasterData = "propose_master_data", "create or propose HCPs",
    /// Decide data requests, run duplicate matching, merge HCPs.
    StewardMasterData = "steward_master_data", "steward master data",
    /// Bulk CSV uploads of master data.
    ImportMasterData = "import_master_data", "change master data in bulk",
    /// Flag or clear an HCP's do-not-call.
    FlagDoNotCall = "flag_do_not_call", "change do-not-call flags",
    /// Read targeting versions.
    ReadTargeting = "read_targeting", "read targeting versions",
    /// Draft and publish targeting versions.
    ManageTargeting = "manage_targeting", "change targeting",
    /// Draft, open for review and publish realignments.
    ManageAlignments = "manage_alignments", "change alignments",
    /// Read realignments open for field review or published, and mark them.
    ReviewRealignments = "review_realignments", "review realignments",
    /// Read the alignment as of any day and the changes scheduled (within one's scope).
    ReadAlignments = "read_alignments", "read the alignment",
    /// Configure sample policy: SKUs, lots, shipments, limits, allocations, credential rules.
    ManageSamplePolicy = "manage_sample_policy", "configure sample policy",
    /// Maintain key messages and their fair balance.
    MaintainKeyMessages = "maintain_key_messages", "maintain key messages",
    /// See every rep's sample records and reconciliation.
    OverseeAllSamples = "oversee_all_samples", "oversee every rep's samples",
    /// See the sample records of the reps one manages.
    OverseeTeamSamples = "oversee_team_samples", "oversee the team's samples",
    /// Blacklist HCPs, screen exclusions, close sample exceptions, track loss reports.
    ReviewSampleCompliance = "review_sample_compliance", "review sample compliance",
    /// Administer users.
    ManageUsers = "manage_users", "administer users",
}

use Permission as P;

/// The one table of who may do what.
const GRANTS: &[(Role, &[Permission])] = &[
    (
        Role::Rep,
        &[
            P::ReportCalls,
            P::HoldSamples,
            P::ProposeMasterData,
            P::ReviewRealignments,
            P::ReadAlignments,
        ],
    ),
    (
        Role::Manager,
        &[
            P::ReportCalls,
            P::ProposeMasterData,
            P::ReadTargeting,
            P::ReviewRealignments,
            P::ReadAlignments,
            P::OverseeTeamSamples,
        ],
    ),
    (
        Role::Ops,
        &[
            P::ProposeMasterData,
            P::StewardMasterData,
            P::ImportMasterData,
            P::FlagDoNotCall,
            P::ReadTargeting,
            P::ManageTargeting,
            P::ManageAlignments,
            P::ReadAlignments,
            P::ManageSamplePolicy,
            P::MaintainKeyMessages,
            P::OverseeAllSamples,
        ],
    ),
    (Role::Marketing, &[P::ReadTargeting, P::MaintainKeyMessages]),
    (
        Role::Compliance,
        &[
            P::FlagDoNotCall,
            P::ManageSamplePolicy,
            P::MaintainKeyMessages,
            P::OverseeAllSamples,
            P::ReviewSampleCompliance,
        ],
    ),
    (
        Role::Admin,
        &[
            P::ProposeMasterData,
            P::StewardMasterData,
            P::ImportMasterData,
            P::FlagDoNotCall,
            P::ReadTargeting,
            P::ManageTargeting,
            P::ManageAlignments,
            P::ReadAlignments,
            P::ManageSamplePolicy,
            P::MaintainKeyMessages,
            P::OverseeAllSamples,
            P::ReviewSampleCompliance,
            P::ManageUsers,
        ],
    ),
];

impl Role {
    /// Everything the role may do.
    pub fn permissions(self) -> &'static [Permission] {
        GRANTS
            .iter()
            .find(|(role, _)| *role == self)
            .map_or(&[], |(_, granted)| granted)
    }

    pub fn may(self, permission: Permission) -> bool {
        self.permissions().contains(&permission)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_has_one_row() {
        for role in Role::ALL {
            assert_eq!(
                GRANTS.iter().filter(|(r, _)| *r == role).count(),
                1,
                "{role}"
            );
        }
    }

    #[test]
    fn every_permission_is_granted_to_someone_and_admin_holds_all_but_the_field_ones() {
        for p in Permission::ALL {
            assert!(
                Role::ALL.iter().any(|r| r.may(*p)),
                "{p:?} is granted to nobody"
            );
            let field_only = matches!(
                p,
                P::ReportCalls | P::HoldSamples | P::ReviewRealignments | P::OverseeTeamSamples
            );
            assert_eq!(Role::Admin.may(*p), !field_only, "{p:?}");
        }
    }

    #[test]
    fn permissions_travel_as_snake_case() {
        for p in Permission::ALL {
            assert_eq!(
                serde_json::to_string(p).expect("serialises"),
                format!("\"{}\"", p.as_str())
            );
        }
    }
}
