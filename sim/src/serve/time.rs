//! ISO 8601 times in bodies (`restorePointInTime`) and Windows file
//! times (100 ns ticks since 1601-01-01, as the example's
//! `srcdw,131403269876900000` shows: May 2017) in restorable dropped
//! database ids, read back into model time (ms since
//! the Unix epoch, as [`super::render::iso_time`] writes it).

/// Windows file time ticks (100 ns since 1601-01-01) at the Unix epoch.
const TICKS_AT_EPOCH: i128 = 116_444_736_000_000_000;

/// Model ms of `YYYY-MM-DDTHH:MM:SS[.fff…][Z|±HH:MM]` (no offset = UTC);
/// `None` if it is not such a time.
pub(super) fn parse_iso_time(text: &str) -> Option<i64> {
    let (date, rest) = text.trim().split_once(['T', 't', ' '])?;
    let mut d = date.split('-');
    let year: i64 = d.next()?.parse().ok()?;
    let month: i64 = d.next()?.parse().ok()?;
    let day: i64 = d.next()?.parse().ok()?;
    if d.next().is_some() || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    // The offset: Z, +HH:MM, -HH:MM or none.
    let (clock, offset_min) = if let Some(c) = rest.strip_suffix(['Z', 'z']) {
        (c, 0)
    } else if let Some(i) = rest.rfind(['+', '-']) {
        let (c, off) = rest.split_at(i);
        let sign = if off.starts_with('-') { -1 } else { 1 };
        let (h, m) = off[1..].split_once(':').unwrap_or((&off[1..], "0"));
        let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
        (c, sign * (h * 60 + m))
    } else {
        (rest, 0)
    };
    let mut t = clock.split(':');
    let hour: i64 = t.next()?.parse().ok()?;
    let minute: i64 = t.next()?.parse().ok()?;
    let seconds = t.next().unwrap_or("0");
    if t.next().is_some() || hour > 23 || minute > 59 {
        return None;
    }
    let (whole, fraction) = seconds.split_once('.').unwrap_or((seconds, ""));
    let second: i64 = whole.parse().ok()?;
    if second > 60 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let millis: i64 = format!("{fraction:0<3}").get(..3)?.parse().ok()?;
    // Days since 1970-01-01 of a civil date (H. Hinnant's algorithm).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let secs = days * 86_400 + hour * 3_600 + minute * 60 + second - offset_min * 60;
    secs.checked_mul(1_000)?.checked_add(millis)
}

/// Model ms of .NET `ticks`; `None` before the Unix epoch or out of range.
pub(super) fn ms_of_ticks(ticks: &str) -> Option<u64> {
    let ticks: i128 = ticks.trim().parse().ok()?;
    u64::try_from((ticks - TICKS_AT_EPOCH).checked_div(10_000)?)
        .ok()
        .filter(|_| ticks >= TICKS_AT_EPOCH)
}

/// File time ticks of model ms (what a restorable dropped database id carries).
#[cfg(test)]
pub(super) fn ticks_of_ms(ms: u64) -> i128 {
    i128::from(ms) * 10_000 + TICKS_AT_EPOCH
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve::render::{iso_time, iso_time_signed};

    #[test]
    fn iso_times_read_back() {
        for ms in [
            0_i64,
            1_234,
            11_017 * 86_400_000 + 3_723_004,
            -1,
            -86_400_000,
        ] {
            assert_eq!(parse_iso_time(&iso_time_signed(ms)), Some(ms), "{ms}");
        }
        assert_eq!(
            parse_iso_time("2020-10-22T05:35:31.503Z"),
            Some(1_603_344_931_503)
        );
        assert_eq!(parse_iso_time("1970-01-01T01:00:00+01:00"), Some(0));
        assert_eq!(parse_iso_time("1970-01-01T00:00:00.5"), Some(500));
        assert_eq!(iso_time(1_603_344_931_503), "2020-10-22T05:35:31.503Z");
        for bad in [
            "",
            "2020-13-01T00:00:00Z",
            "yesterday",
            "2020-01-01",
            "2020-01-01T25:00:00Z",
        ] {
            assert_eq!(parse_iso_time(bad), None, "{bad}");
        }
    }

    #[test]
    fn ticks_convert_both_ways() {
        assert_eq!(ms_of_ticks("116444736000000000"), Some(0));
        assert_eq!(
            ms_of_ticks(&ticks_of_ms(86_400_123).to_string()),
            Some(86_400_123)
        );
        // The example's id: a deletion in May 2017.
        assert_eq!(
            ms_of_ticks("131403269876900000").map(iso_time),
            Some("2017-05-27T02:49:47.690Z".to_owned())
        );
        assert_eq!(ms_of_ticks("1"), None);
        assert_eq!(ms_of_ticks("x"), None);
    }
}
