//! `{"value": [...], "nextLink": ...}`: one page of a list.

use serde::{Deserialize, Serialize};

/// One page of an ARM list. `next_link` (absolute URL, `nextLink` on the
/// wire) is present when more pages follow; GET it as is
/// ([`crate::paging::next_request`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct List<T> {
    /// The items of this page (an absent `value` reads as empty).
    #[serde(default = "Vec::new")]
    pub value: Vec<T>,
    /// URL of the next page, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_link: Option<String>,
}

impl<T> Default for List<T> {
    fn default() -> Self {
        Self {
            value: Vec::new(),
            next_link: None,
        }
    }
}

impl<T> List<T> {
    /// A single, last page.
    pub fn new(value: Vec<T>) -> Self {
        Self {
            value,
            next_link: None,
        }
    }
}
