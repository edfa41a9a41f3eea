//! How large an estate this tool takes, refused up front before anything
//! per tenant is allocated.
//!
//! Measured (`/usr/bin/time -v`, maximum resident set size, debug build):
//! `simulate` peaks at 27,796 KiB on `saas-1k`, 62,188 KiB on `saas-10k`
//! and 404,584 KiB on `saas-100k`, i.e. about 3.8 KiB more per tenant;
//! `plan` on a 100,000-database fleet file peaks at 357 MB (README). [`BYTES_PER_TENANT`] rounds that up to 4 KiB, so the
//! limit of [`MAX_TENANTS`] (1,000,000) means about 4 GB: more than the
//! largest Azure estate one subscription holds in a region by default (250
//! logical servers of 5,000 databases is 1.25 million), and still within a
//! laptop's memory.

/// Most tenants (databases) in one fleet, new tenants of a scenario
/// included.
pub const MAX_TENANTS: u64 = 1_000_000;

/// Memory per tenant, rounded up from the measurements above.
pub const BYTES_PER_TENANT: u64 = 4096;

/// Largest input file read: a 1,000,000-database fleet file is about
/// 95 MB (one database per line), and parsing takes about 37 times the
/// file's size at peak (357 MB for the 9.5 MB 100,000-database file), so
/// 128 MiB keeps parsing near the 4 GB of [`MAX_TENANTS`].
pub const MAX_INPUT_BYTES: u64 = 128 * 1024 * 1024;

/// Memory an estate of `tenants` needs, estimated, in bytes.
pub fn estimated_bytes(tenants: u64) -> u64 {
    tenants.saturating_mul(BYTES_PER_TENANT)
}

/// A size in bytes in words: "4.1 GB", "16 TB".
pub fn in_units(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    if value >= 10.0 || unit == 0 {
        format!("{value:.0} {}", UNITS[unit])
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// `None` if `tenants` fit; else what is wrong and the fix, for an error
/// at the key that sets the count.
pub fn check_tenants(tenants: u64) -> Option<(String, String)> {
    if tenants <= MAX_TENANTS {
        return None;
    }
    Some((
        format!(
            "{tenants} tenants need about {} of memory (about {} KB each, measured); this tool takes at most {MAX_TENANTS} tenants (about {})",
            in_units(estimated_bytes(tenants)),
            BYTES_PER_TENANT / 1024,
            in_units(estimated_bytes(MAX_TENANTS)),
        ),
        format!(
            "use at most {MAX_TENANTS} tenants, new tenants included; split a larger estate into several fleets (one per subscription or region)"
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_is_explained_in_units() {
        assert_eq!(check_tenants(MAX_TENANTS), None);
        let (message, fix) = check_tenants(4_000_000_000).expect("refused");
        assert_eq!(
            message,
            "4000000000 tenants need about 16 TB of memory (about 4 KB each, measured); this tool takes at most 1000000 tenants (about 4.1 GB)"
        );
        assert!(fix.starts_with("use at most 1000000 tenants"));
        assert_eq!(in_units(999), "999 B");
        assert_eq!(in_units(41_000_000), "41 MB");
    }
}
