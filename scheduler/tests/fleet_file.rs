//! Fleet file parsing: the shipped demo fleet loads; bad files get located errors.

use scheduler::fleet::{Fleet, Routing};

const DEMO: &str = include_str!("../../scenarios/fleets/wingtip-demo.toml");

#[test]
fn demo_fleet_loads_with_its_pool_and_tiers() {
    let fleet = Fleet::from_toml_str(DEMO, "wingtip-demo.toml").expect("demo fleet parses");
    assert_eq!(fleet.routing, Routing::Catalog);
    assert_eq!(fleet.servers.len(), 1);
    assert_eq!(fleet.pools.len(), 1);
    assert_eq!(fleet.pools[0].name, "Pool1");
    assert_eq!(fleet.databases.len(), 20);
    assert_eq!(fleet.pools[0].databases.len(), 20);
    let premium = fleet.databases.iter().filter(|db| db.tier.0 == 0).count();
    assert_eq!(premium, 4);
    assert_eq!(
        fleet.mirror_name("tenants1-dpt-user1"),
        "tenants1-dpt-user1-recovery"
    );
}

fn error_for(text: &str) -> String {
    Fleet::from_toml_str(text, "bad.toml")
        .expect_err("must be rejected")
        .to_string()
}

fn with_databases(line: &str) -> String {
    DEMO.replacen("databases = [\n", &format!("databases = [\n{line}\n"), 1)
}

#[test]
fn misspelled_key_names_file_line_key_and_fix() {
    let text = with_databases(
        r#"  { name = "x", server = "tenants1-dpt-user1", pool = "Pool1", sise_gb = 1, tier = "free" },"#,
    );
    let message = error_for(&text);
    let line = text
        .lines()
        .position(|l| l.contains("sise_gb"))
        .expect("line")
        + 1;
    assert!(
        message.starts_with(&format!("bad.toml:{line}:")),
        "{message}"
    );
    assert!(message.contains("key `databases[0].sise_gb`"), "{message}");
    assert!(message.contains("`sise_gb`"), "{message}");
    assert!(
        message.contains("fix: remove `sise_gb` or rename it to one of"),
        "{message}"
    );
}

#[test]
fn unknown_pool_is_located_on_the_database_line() {
    let text = with_databases(
        r#"  { name = "x", server = "tenants1-dpt-user1", pool = "Pool9", size_gb = 1, tier = "free" },"#,
    );
    let message = error_for(&text);
    let line = text
        .lines()
        .position(|l| l.contains("Pool9"))
        .expect("line")
        + 1;
    assert!(
        message.starts_with(&format!("bad.toml:{line}:")),
        "{message}"
    );
    assert!(message.contains("key `databases[0].pool`"), "{message}");
    assert!(message.contains("unknown pool `Pool9`"), "{message}");
    assert!(message.contains("fix:"), "{message}");
}

#[test]
fn unknown_tier_lists_the_known_ones() {
    let text = with_databases(
        r#"  { name = "x", server = "tenants1-dpt-user1", pool = "Pool1", size_gb = 1, tier = "gold" },"#,
    );
    let message = error_for(&text);
    assert!(message.contains("databases[0].tier"), "{message}");
    assert!(message.contains("\"premium\""), "{message}");
}

#[test]
fn missing_field_and_bad_routing_are_explained() {
    let message = error_for(&DEMO.replace("routing = \"catalog\"", "routing = \"dns\""));
    assert!(message.contains("key `routing`"), "{message}");
    assert!(
        message.contains("fix: use `catalog` or `server-alias`"),
        "{message}"
    );
    let message = error_for(&DEMO.replace("subscription = ", "# subscription = "));
    assert!(
        message.contains("missing field `subscription`"),
        "{message}"
    );
    assert!(message.contains("fix: add `subscription`"), "{message}");
}

#[test]
fn pooled_and_standalone_are_exclusive() {
    let text = with_databases(
        r#"  { name = "x", server = "tenants1-dpt-user1", pool = "Pool1", service_objective = "S3", size_gb = 1, tier = "free" },"#,
    );
    let message = error_for(&text);
    assert!(
        message.contains("exactly one of pool or service_objective"),
        "{message}"
    );
}

#[test]
fn duplicate_database_is_rejected() {
    let text = with_databases(
        r#"  { name = "dogwooddojo", server = "tenants1-dpt-user1", pool = "Pool1", size_gb = 1, tier = "free" },"#,
    );
    assert!(error_for(&text).contains("listed twice"));
}

#[test]
fn demo_fleet_renders_complete_resources() {
    let fleet = Fleet::from_toml_str(DEMO, "wingtip-demo.toml").expect("demo fleet parses");
    let sku = &fleet.pools[0].sku;
    assert_eq!(
        (sku.name.as_str(), sku.tier.as_str(), sku.capacity),
        ("StandardPool", "Standard", 50)
    );
    let admin = fleet.administrator.as_ref().expect("demo names an admin");
    assert_eq!(
        (admin.login.as_str(), admin.principal_type.as_str()),
        ("wingtip-sql-admins", "Group")
    );
    assert_eq!(fleet.recovery.fast_lane_service_objective, "S3");
    assert_eq!(fleet.recovery.catalog_service_objective, "S1");
    assert_eq!(
        fleet.recovery_app_service_plan(),
        "events-wingtip-dpt-westcentralus-user1-plan"
    );
    assert_eq!(fleet.traffic_manager_resource_group(), "wingtip-dpt-user1");
    assert!(fleet.resource_groups.create_recovery);
    assert_eq!(fleet.preoutage_name("dogwooddojo"), "dogwooddojo-preoutage");
}

#[test]
fn vcore_pool_gets_a_gen5_sku_and_unknown_vcore_editions_are_located() {
    let vcore = DEMO.replace(
        "edition = \"Standard\"\ndtu = 50",
        "edition = \"GeneralPurpose\"\nvcores = 2\nzone_redundant = true",
    );
    let fleet = Fleet::from_toml_str(&vcore, "v.toml").expect("vCore pool parses");
    assert_eq!(fleet.pools[0].sku.name, "GP_Gen5");
    assert_eq!(fleet.pools[0].sku.family.as_deref(), Some("Gen5"));
    assert!(fleet.pools[0].zone_redundant);
    let bad = DEMO.replace("dtu = 50", "vcores = 2");
    let message = error_for(&bad);
    assert!(message.contains("pools[0].edition"), "{message}");
    assert!(message.contains("GeneralPurpose"), "{message}");
}

#[test]
fn a_password_key_is_refused() {
    let text = DEMO.replace(
        "principal_type = \"Group\"",
        "principal_type = \"Group\"\npassword = \"hunter2\"",
    );
    let message = error_for(&text);
    assert!(message.contains("`password`"), "{message}");
}
