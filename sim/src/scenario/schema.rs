//! The scenario file's JSON Schema (`georestore schema`), generated from
//! [`super::ScenarioFile`], with the names a string field takes as enums.

use schemars::r#gen::SchemaGenerator;
use schemars::schema::{InstanceType, Schema, SchemaObject};

/// The JSON Schema of scenario files, pretty-printed.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(super::ScenarioFile);
    serde_json::to_string_pretty(&schema).unwrap_or_default()
}

/// A string that is one of `names`.
fn one_of(names: &[&str]) -> Schema {
    Schema::Object(SchemaObject {
        instance_type: Some(InstanceType::String.into()),
        enum_values: Some(names.iter().map(|n| serde_json::json!(n)).collect()),
        ..SchemaObject::default()
    })
}

/// `[strategy] name`: one of `scheduler::strategy::STRATEGY_NAMES`.
pub(super) fn strategy_name(_: &mut SchemaGenerator) -> Schema {
    one_of(scheduler::strategy::STRATEGY_NAMES)
}

/// `[fleet.generate] routing`: `catalog` or `server-alias`.
pub(super) fn routing(_: &mut SchemaGenerator) -> Schema {
    one_of(&["catalog", "server-alias"])
}
