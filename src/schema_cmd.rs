//! `georestore schema [scenario|fleet]`: the JSON Schema of scenario files
//! or of fleet files.

use anyhow::Result;

use crate::cli::{SchemaArgs, SchemaKind};

/// Prints the schema.
pub fn run(args: &SchemaArgs) -> Result<()> {
    let schema = match args.kind {
        SchemaKind::Scenario => sim::scenario::json_schema(),
        SchemaKind::Fleet => scheduler::fleet::json_schema(),
    };
    println!("{schema}");
    Ok(())
}
