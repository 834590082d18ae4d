//! Rebuilds the storage crate when a migration file is added or changed: `sqlx::migrate!`
//! embeds the migrations at compile time but, on stable Rust, only watches the files that
//! already existed, so without this a new `migrations/*/0008_...sql` would not be run (nor
//! seen by the schema-agreement test) until something else forced a rebuild.

fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
