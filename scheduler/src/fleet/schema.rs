//! The fleet file's JSON Schema, generated from [`super::file::FleetFile`]
//! (`georestore schema fleet`). Cross-field rules (a database gives a pool
//! or a service objective, names that must exist) are the loader's; the
//! schema holds the shape, the enums and each number's range.

/// The JSON Schema of fleet files, pretty-printed.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(super::file::FleetFile);
    serde_json::to_string_pretty(&schema).unwrap_or_default()
}
