//! The `pharmacrm` binary end to end on an SQLite file: migrate, import with a bad row,
//! re-import, export, add a user, demo data without serving.
// Scenario tests read as one story, start to end, however long.
#![allow(clippy::too_many_lines)]

use std::process::{Command, Output};

fn pharmacrm(db: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pharmacrm"))
        .args(args)
        .env("PHARMACRM_DATABASE_URL", db)
        .env_remove("PHARMACRM_CONFIG")
        .env("RUST_LOG", "warn")
        .output()
        .expect("run pharmacrm")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn import_reports_bad_rows_keeps_good_ones_and_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("crm.db").display());
    assert!(pharmacrm(&db, &["migrate"]).status.success());
    let csv = dir.path().join("hcps.csv");
    std::fs::write(
        &csv,
        "npi,first_name,last_name,specialty_code,address_line1,city,state,zip,licences\n\
         1234567893,Ana,Lopez,207RC0000X,1 Main St,Boston,MA,02139,MA:MA1:2030-01-01\n\
         1234567890,Bad,Npi,207RC0000X,2 Main St,Boston,MA,02139,\n\
         1003000126,Raj,Patel,2084P0800X,3 Main St,Boston,MA,02139,\n",
    )
    .unwrap();
    let errors = dir.path().join("errors.csv");
    let first = pharmacrm(
        &db,
        &[
            "import",
            "hcps",
            csv.to_str().unwrap(),
            "--errors",
            errors.to_str().unwrap(),
        ],
    );
    assert_eq!(
        first.status.code(),
        Some(3),
        "rejected rows give exit code 3: {}",
        text(&first.stderr)
    );
    assert!(
        text(&first.stdout).contains("3 rows: 2 created, 0 updated, 0 unchanged, 1 rejected"),
        "{}",
        text(&first.stdout)
    );
    assert!(
        text(&first.stderr).contains("line 3: npi: check digit does not match"),
        "{}",
        text(&first.stderr)
    );
    assert!(std::fs::read_to_string(&errors).unwrap().contains("3,npi,"));
    let second = pharmacrm(&db, &["import", "hcps", csv.to_str().unwrap()]);
    assert!(
        text(&second.stdout).contains("0 created, 0 updated, 2 unchanged, 1 rejected"),
        "{}",
        text(&second.stdout)
    );

    let out = dir.path().join("export.csv");
    let export = pharmacrm(&db, &["export", "hcps", "--out", out.to_str().unwrap()]);
    assert!(export.status.success(), "{}", text(&export.stderr));
    let exported = std::fs::read_to_string(&out).unwrap();
    assert_eq!(
        exported.lines().count(),
        3,
        "header and two HCPs:\n{exported}"
    );
    let reimport = pharmacrm(&db, &["import", "hcps", out.to_str().unwrap()]);
    assert!(reimport.status.success());
    assert!(
        text(&reimport.stdout).contains("0 created, 0 updated, 2 unchanged, 0 rejected"),
        "an export re-imports unchanged: {}",
        text(&reimport.stdout)
    );
}

#[test]
fn demo_data_users_and_scoped_export() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("demo.db").display());
    let demo = pharmacrm(&db, &["demo", "--scale", "small", "--no-serve"]);
    assert!(demo.status.success(), "{}", text(&demo.stderr));
    let listing = text(&demo.stdout);
    for login in [
        "admin",
        "ops",
        "compliance",
        "marketing",
        "mgr.d01",
        "rep.t01",
        "rep.t04",
    ] {
        assert!(listing.contains(login), "demo prints {login}");
    }
    let again = pharmacrm(&db, &["demo", "--scale", "small", "--no-serve"]);
    assert!(text(&again.stdout).contains("already holds data"));

    let out = dir.path().join("rep.csv");
    assert!(pharmacrm(
        &db,
        &[
            "export",
            "hcps",
            "--as",
            "rep.t01",
            "--out",
            out.to_str().unwrap()
        ]
    )
    .status
    .success());
    let rows: Vec<String> = std::fs::read_to_string(&out)
        .unwrap()
        .lines()
        .skip(1)
        .map(str::to_string)
        .collect();
    assert_eq!(
        rows.len(),
        103,
        "100 generated, 2 planted duplicates, 1 HCP the rep proposed"
    );
    assert!(rows.iter().all(|r| r.ends_with(",T01")));

    let added = Command::new(env!("CARGO_BIN_EXE_pharmacrm"))
        .args([
            "user", "add", "rep.new", "--role", "rep", "--unit", "T02", "--name", "New Rep",
        ])
        .env("PHARMACRM_DATABASE_URL", &db)
        .env("PHARMACRM_PASSWORD", "s3cret!")
        .output()
        .unwrap();
    assert!(added.status.success(), "{}", text(&added.stderr));
    let moved = pharmacrm(&db, &["user", "move", "rep.t03", "--unit", "T04"]);
    assert!(moved.status.success(), "{}", text(&moved.stderr));
    assert!(
        text(&moved.stdout).contains("rep.t03 covers T04 from"),
        "{}",
        text(&moved.stdout)
    );
    let left = pharmacrm(&db, &["user", "leave", "rep.t04"]);
    assert!(left.status.success(), "{}", text(&left.stderr));
    // The demo estimated the model and queued its planted duplicates; a rescan finds them
    // again and queues nothing new.
    let estimated = pharmacrm(&db, &["duplicates", "estimate"]);
    assert!(
        text(&estimated.stdout).contains("LastName: exact +"),
        "{}",
        text(&estimated.stdout)
    );
    let scan = pharmacrm(&db, &["duplicates", "scan"]);
    let scanned = text(&scan.stdout);
    assert!(
        scanned.contains("candidate pairs compared") && scanned.contains("; 0 new in the queue"),
        "{scanned}"
    );
    let targets = pharmacrm(&db, &["targets", "list"]);
    assert!(
        text(&targets.stdout).contains("Neurvanta tier A: 4 calls per month"),
        "{}",
        text(&targets.stdout)
    );
    assert!(
        text(&targets.stdout).contains("version 2 Draft: Next quarter plan"),
        "{}",
        text(&targets.stdout)
    );
    let published = pharmacrm(&db, &["targets", "publish", "2"]);
    assert!(published.status.success(), "{}", text(&published.stderr));
    assert!(
        text(&published.stdout).contains("Neurvanta tier A: 12 calls per quarter"),
        "{}",
        text(&published.stdout)
    );
    assert!(
        text(&published.stdout).contains("version 1 Superseded"),
        "{}",
        text(&published.stdout)
    );
    let verify = pharmacrm(&db, &["audit", "verify"]);
    assert!(verify.status.success(), "{}", text(&verify.stderr));
    assert!(
        text(&verify.stdout).starts_with("audit log intact: "),
        "{}",
        text(&verify.stdout)
    );
    let wrong_unit = pharmacrm(
        &db,
        &[
            "user",
            "add",
            "rep.bad",
            "--role",
            "rep",
            "--unit",
            "D01",
            "--password",
            "abcd",
        ],
    );
    assert!(!wrong_unit.status.success());
    assert!(
        text(&wrong_unit.stderr).contains("unit: 'D01' is not a territory"),
        "{}",
        text(&wrong_unit.stderr)
    );
}

#[test]
fn audit_verify_fails_when_a_sample_transaction_is_changed_in_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.db");
    let db = format!("sqlite://{}", path.display());
    assert!(pharmacrm(&db, &["demo", "--scale", "small", "--no-serve"])
        .status
        .success());
    let clean = pharmacrm(&db, &["audit", "verify"]);
    assert!(clean.status.success(), "{}", text(&clean.stdout));
    assert!(
        text(&clean.stdout).contains("sample records intact"),
        "{}",
        text(&clean.stdout)
    );
    for line in [
        "seals intact",
        "audit chain anchored: 1 checkpoints confirmed",
    ] {
        assert!(
            text(&clean.stdout).contains(line),
            "{line}: {}",
            text(&clean.stdout)
        );
    }
    assert!(
        dir.path().join("demo.db.seal-keys").exists(),
        "the demo created its key file beside the database"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join("demo.db.seal-keys"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let rotated = pharmacrm(&db, &["audit", "new-key"]);
    assert!(
        text(&rotated.stdout).contains("added seal key k2"),
        "{}",
        text(&rotated.stdout)
    );
    let after_rotation = pharmacrm(&db, &["audit", "verify"]);
    assert!(after_rotation.status.success(), "old keys still verify");
    // Someone edits a ledger line behind the application's back (the audit log itself untouched).
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let store = pharmacrm_storage::Store::connect(&db).await.unwrap();
        sqlx::query("UPDATE sample_ledger SET quantity = quantity + 5 WHERE id = (SELECT MIN(id) FROM sample_ledger WHERE kind = 'disbursement')")
            .execute(store.pool())
            .await
            .unwrap();
        store.close().await;
    });
    let tampered = pharmacrm(&db, &["audit", "verify"]);
    assert_eq!(tampered.status.code(), Some(1));
    assert!(
        text(&tampered.stdout).contains("sample records TAMPERED: sample transaction"),
        "{}",
        text(&tampered.stdout)
    );
}
