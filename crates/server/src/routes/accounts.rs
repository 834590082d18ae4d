//! Account endpoints: list and profile within the caller's scope.

use super::parse_id;
use crate::extract::{ApiQuery, Auth};
use crate::problem::{ApiError, Problem};
use crate::AppState;
use axum::extract::{Path, State};
use axum::Json;
use pharmacrm_domain::account::AccountType;
use pharmacrm_domain::views::{Account, AccountPage};
use pharmacrm_domain::ValidationErrors;
use pharmacrm_storage::accounts::AccountFilter;
use pharmacrm_storage::page;
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AccountQuery {
    /// Words that must all appear in the name.
    pub q: Option<String>,
    /// hospital, clinic, pharmacy, drug_store, distributor or idn.
    #[serde(rename = "type")]
    #[param(rename = "type")]
    pub account_type: Option<String>,
    pub city: Option<String>,
    pub territory: Option<Uuid>,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/accounts", tag = "accounts", params(AccountQuery), security(("bearer" = [])),
    responses((status = 200, body = AccountPage), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn list_accounts(
    State(state): State<AppState>,
    auth: Auth,
    ApiQuery(query): ApiQuery<AccountQuery>,
) -> Result<Json<AccountPage>, ApiError> {
    let text = |v: &Option<String>| {
        v.as_ref()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let mut errors = ValidationErrors::new();
    let account_type =
        text(&query.account_type).and_then(|t| errors.check("type", AccountType::parse(&t)));
    let limit = errors.check(
        "limit",
        page::limit(query.limit).map_err(|e| e.0[0].message.clone()),
    );
    if !errors.is_empty() {
        return Err(ApiError::invalid(errors));
    }
    let filter = AccountFilter {
        q: text(&query.q),
        account_type,
        city: text(&query.city),
        territory: query.territory,
    };
    let cursor = text(&query.cursor);
    let page = state
        .store
        .account_page(
            &auth.principal.scope,
            &filter,
            cursor.as_deref(),
            limit.unwrap_or(page::DEFAULT_LIMIT),
        )
        .await?;
    Ok(Json(page))
}

#[utoipa::path(get, path = "/api/v1/accounts/{id}", tag = "accounts", params(("id" = Uuid, Path)), security(("bearer" = [])),
    responses((status = 200, body = Account), (status = 404, body = Problem)))]
pub async fn get_account(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<Account>, ApiError> {
    let id = parse_id(&id, "account")?;
    state
        .store
        .account(&auth.principal.scope, id)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found("account"))
}
