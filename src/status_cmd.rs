//! `georestore status`: where a recovery stands, from its journal.

use anyhow::Result;
use driver::journal::default_path;
use driver::status::Summary;

use crate::cli::StatusArgs;

/// The journal `status` and `cancel` read: `--journal FILE`, or the
/// fleet file's default one.
pub fn journal_of(args: &StatusArgs) -> Result<std::path::PathBuf> {
    Ok(match (&args.journal, &args.fleet) {
        (Some(journal), _) => journal.clone(),
        (None, Some(fleet)) => default_path(fleet),
        // clap requires one of the two.
        (None, None) => anyhow::bail!("give a fleet file or --journal FILE"),
    })
}

pub fn run(args: &StatusArgs) -> Result<()> {
    let path = journal_of(args)?;
    // Its errors name the journal.
    let summary = Summary::read(&path)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&summary)?);
    } else {
        print!("{summary}");
    }
    Ok(())
}
