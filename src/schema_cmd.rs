//! `georestore schema`: the JSON Schema of scenario files.

use anyhow::Result;

/// Prints the schema.
pub fn run() -> Result<()> {
    println!("{}", sim::scenario::json_schema());
    Ok(())
}
