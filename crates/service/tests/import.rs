//! Imports on both backends: bad rows reported with line and field, good rows kept,
//! re-runs idempotent.
// Scenario tests read as one story, start to end, however long.
#![allow(clippy::too_many_lines)]

use pharmacrm_domain::access::Scope;
use pharmacrm_domain::audit::Actor;
use pharmacrm_domain::segment::Tier;
use pharmacrm_domain::targeting::CycleKind;
use pharmacrm_fixtures::{backend_tests, hcp_input, populate_small, rng, DemoSpec};
use pharmacrm_service::csv_format::{hcp_input_fields, HCP_COLUMNS};
use pharmacrm_service::import::{import_accounts, import_alignment, import_hcps};
use pharmacrm_storage::hcps::HcpFilter;
use pharmacrm_storage::Store;

/// 10,000 HCP rows of which 50 are malformed; returns the file and the bad lines.
fn hcp_file(today: chrono::NaiveDate) -> (Vec<u8>, Vec<(u64, &'static str)>) {
    let spec = DemoSpec {
        seed: 99,
        territories: 4,
        territories_per_district: 2,
        hcps: 10_000,
        accounts: 0,
        call_history_months: 0,
    };
    let mut r = rng(99);
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(HCP_COLUMNS).unwrap();
    let mut bad = Vec::new();
    let mut previous_npi = String::new();
    for i in 0..10_000usize {
        let mut input = hcp_input(&mut r, &spec, i, today);
        let line = i as u64 + 2;
        if i % 200 == 13 {
            match (i / 200) % 4 {
                0 => {
                    input.npi = "1234567890".into();
                    bad.push((line, "npi"));
                }
                1 => {
                    input.last_name = String::new();
                    bad.push((line, "last_name"));
                }
                2 => {
                    input.specialty_code = "999Z00000X".into();
                    bad.push((line, "specialty_code"));
                }
                _ => {
                    input.npi = previous_npi.clone();
                    bad.push((line, "npi"));
                }
            }
        }
        previous_npi = input.npi.clone();
        writer.write_record(hcp_input_fields(&input)).unwrap();
    }
    (writer.into_inner().unwrap(), bad)
}

async fn an_hcp_file_keeps_good_rows_and_reports_bad_ones(store: Store) {
    let (file, bad) = hcp_file(store.today());
    assert_eq!(bad.len(), 50);
    let actor = Actor::system("test import");
    let report = import_hcps(&store, &actor, file.as_slice(), &|_, _| {})
        .await
        .unwrap();
    assert_eq!(report.rows, 10_000);
    assert_eq!(report.created, 9_950);
    assert_eq!(report.rejected, 50);
    let reported: Vec<(u64, &str)> = report
        .errors
        .iter()
        .map(|e| (e.line, e.field.as_str()))
        .collect();
    assert_eq!(
        reported, bad,
        "one error per bad row, at its line and field"
    );
    assert!(report
        .errors
        .iter()
        .any(|e| e.message.contains("already on line")));
    assert_eq!(store.count_hcps(&Scope::All).await.unwrap(), 9_950);

    let again = import_hcps(&store, &actor, file.as_slice(), &|_, _| {})
        .await
        .unwrap();
    assert_eq!(
        (
            again.created,
            again.updated,
            again.unchanged,
            again.rejected
        ),
        (0, 0, 9_950, 50)
    );
    assert_eq!(store.count_hcps(&Scope::All).await.unwrap(), 9_950);
}

async fn a_changed_row_updates_with_an_audit_trail(store: Store) {
    let header = HCP_COLUMNS.join(",");
    let row = "1234567893,Ana,,Lopez,,MD,207RC0000X,active,es,1 Main St,,Boston,MA,02139,,,MA:MA1:2030-01-01,mon 09:00-10:00,,617-555-0134";
    let actor = Actor::system("test import");
    let first = import_hcps(
        &store,
        &actor,
        format!("{header}\n{row}\n").as_bytes(),
        &|_, _| {},
    )
    .await
    .unwrap();
    assert_eq!(first.created, 1, "{:?}", first.errors);
    let changed = row.replace("Lopez", "Lopez-Garcia");
    let second = import_hcps(
        &store,
        &actor,
        format!("{header}\n{changed}\n").as_bytes(),
        &|_, _| {},
    )
    .await
    .unwrap();
    assert_eq!((second.created, second.updated), (0, 1));
    let (records, _) = store
        .hcp_records(&Scope::All, &HcpFilter::default(), None, 10)
        .await
        .unwrap();
    assert_eq!(records[0].record.last_name, "Lopez-Garcia");
    let audit = store.audit_entries("hcp", records[0].id).await.unwrap();
    assert_eq!(audit[1].before.as_ref().unwrap()["last_name"], "Lopez");
}

async fn a_file_without_required_columns_is_refused_whole(store: Store) {
    let report = import_hcps(
        &store,
        &Actor::system("t"),
        "npi,first_name\n1234567893,Ana\n".as_bytes(),
        &|_, _| {},
    )
    .await;
    let err = report.unwrap_err().to_string();
    assert!(err.contains("missing column(s): last_name"), "{err}");
    assert_eq!(store.count_hcps(&Scope::All).await.unwrap(), 0);
}

async fn accounts_resolve_parents_in_any_order(store: Store) {
    let file = "external_id,name,account_type,parent_external_id,address_line1,address_line2,city,state,zip,latitude,longitude\n\
        H1,Mercy Hospital,hospital,IDN1,1 Main St,,Boston,MA,02139,,\n\
        IDN1,Mercy Health,IDN,,2 Main St,,Boston,MA,02139,,\n\
        C1,Oak Clinic,clinic,NOPE,3 Main St,,Boston,MA,02139,,\n\
        P1,Corner Pharmacy,spa,,4 Main St,,Boston,MA,02139,,\n";
    let actor = Actor::system("t");
    let report = import_accounts(&store, &actor, file.as_bytes(), &|_, _| {})
        .await
        .unwrap();
    assert_eq!(report.created, 2, "{:?}", report.errors);
    let fields: Vec<(u64, &str)> = report
        .errors
        .iter()
        .map(|e| (e.line, e.field.as_str()))
        .collect();
    assert_eq!(fields, vec![(4, "parent_external_id"), (5, "account_type")]);
    let again = import_accounts(&store, &actor, file.as_bytes(), &|_, _| {})
        .await
        .unwrap();
    assert_eq!((again.created, again.unchanged), (0, 2));
}

async fn an_alignment_file_moves_zips(store: Store) {
    populate_small(&store, "x").await;
    let t01 = store.org_unit_by_code("T01").await.unwrap().unwrap();
    let zip = store.zips_of_territory(t01.id).await.unwrap()[0].clone();
    let file = format!(
        "zip,territory_code,effective_from\n{zip},T02,\n99999,T99,\nABCDE,T02,2020-13-01\n"
    );
    let report = import_alignment(&store, &Actor::system("t"), file.as_bytes(), &|_, _| {})
        .await
        .unwrap();
    assert_eq!(report.created, 1);
    let fields: Vec<(u64, &str)> = report
        .errors
        .iter()
        .map(|e| (e.line, e.field.as_str()))
        .collect();
    assert_eq!(
        fields,
        vec![(3, "territory_code"), (4, "zip"), (4, "effective_from")]
    );
    assert!(!store
        .zips_of_territory(t01.id)
        .await
        .unwrap()
        .contains(&zip));
}

async fn a_segmentation_file_goes_into_a_version_and_reaches_devices_when_published(store: Store) {
    populate_small(&store, "x").await;
    let (records, _) = store
        .hcp_records(&Scope::All, &HcpFilter::default(), None, 2)
        .await
        .unwrap();
    let (a, b) = (
        records[0].record.npi.to_string(),
        records[1].record.npi.to_string(),
    );
    let file = format!(
        "npi,product,tier,decile,set_on\n{a},Cardivex,A,9,2026-10-01\n1234567893,Cardivex,A,9,\n{a},Nothing,B,5,\n{b},glucora,,11,\n{b},Glucora,,9,\n{a},cardivex,B,6,\n"
    );
    let actor = Actor::system("ops");
    let draft = store
        .create_targeting_version(&actor, "test", CycleKind::Month, None)
        .await
        .unwrap();
    let report = pharmacrm_service::import::import_segments(
        &store,
        &actor,
        draft,
        file.as_bytes(),
        &|_, _| {},
    )
    .await
    .unwrap();
    let fields: Vec<(u64, &str)> = report
        .errors
        .iter()
        .map(|e| (e.line, e.field.as_str()))
        .collect();
    assert_eq!(
        fields,
        vec![(3, "npi"), (4, "product"), (5, "decile"), (7, "product")]
    );
    assert_eq!(report.created + report.updated, 2);
    let cardivex = store
        .products()
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.brand == "Cardivex")
        .unwrap()
        .id;
    let glucora = store
        .products()
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.brand == "Glucora")
        .unwrap()
        .id;
    let before = store
        .segments_of_hcps(&[records[0].id, records[1].id])
        .await
        .unwrap();
    assert_ne!(
        before.get(&(records[1].id, glucora)),
        Some(&(Tier::A, 9)),
        "nothing changes before the version is published"
    );

    let version = store.current_version().await.unwrap();
    store
        .publish_targeting_version(&actor, draft, store.today())
        .await
        .unwrap();
    pharmacrm_service::targeting::apply_due(&store, &actor, store.today())
        .await
        .unwrap();
    let segments = store
        .segments_of_hcps(&[records[0].id, records[1].id])
        .await
        .unwrap();
    assert_eq!(segments[&(records[0].id, cardivex)], (Tier::A, 9));
    assert_eq!(
        segments[&(records[1].id, glucora)],
        (Tier::A, 9),
        "a blank tier follows from the decile"
    );
    let changed = store
        .changed_hcp_ids(&Scope::All, Some(version), Some(Tier::A), None, 100)
        .await
        .unwrap();
    assert!(
        changed.contains(&records[0].id) && changed.contains(&records[1].id),
        "devices pull the re-tiered HCPs"
    );
    assert!(
        !store
            .frequency_targets(Some(version))
            .await
            .unwrap()
            .is_empty(),
        "devices pull the version's targets"
    );

    let next = store
        .create_targeting_version(&actor, "again", CycleKind::Month, None)
        .await
        .unwrap();
    let again = pharmacrm_service::import::import_segments(
        &store,
        &actor,
        next,
        file.as_bytes(),
        &|_, _| {},
    )
    .await
    .unwrap();
    assert_eq!(
        (again.created, again.updated, again.unchanged),
        (0, 0, 2),
        "rows equal to the segmentation in force change nothing"
    );
}

backend_tests!(
    a_segmentation_file_goes_into_a_version_and_reaches_devices_when_published,
    an_hcp_file_keeps_good_rows_and_reports_bad_ones,
    a_changed_row_updates_with_an_audit_trail,
    a_file_without_required_columns_is_refused_whole,
    accounts_resolve_parents_in_any_order,
    an_alignment_file_moves_zips,
);
