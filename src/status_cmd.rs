//! `georestore status`: where a recovery stands, from its journal.

use anyhow::Result;
use driver::journal::default_path;
use driver::status::Summary;

use crate::cli::StatusArgs;

pub fn run(args: &StatusArgs) -> Result<()> {
    let path = match (&args.journal, &args.fleet) {
        (Some(journal), _) => journal.clone(),
        (None, Some(fleet)) => default_path(fleet),
        // clap requires one of the two.
        (None, None) => anyhow::bail!("give a fleet file or --journal FILE"),
    };
    // Its errors name the journal.
    let summary = Summary::read(&path)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&summary)?);
    } else {
        print!("{summary}");
    }
    Ok(())
}
