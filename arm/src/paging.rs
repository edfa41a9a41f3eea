//! Paging: following `nextLink`, and answering with pages.
//!
//! Clients: [`read_page`] splits a list response into its items and the
//! request for the next page (a GET on `nextLink` exactly as given).
//!
//! Servers (model, emulator): [`page`] cuts a page out of a full,
//! deterministically ordered item list and writes a `nextLink` carrying
//! the offset of the next page as `$skipToken=<offset>`; [`skip_token`]
//! reads it back from the next request. The token is a plain decimal
//! offset: simple, deterministic, and stable as long as the list order is.

use serde::de::DeserializeOwned;

use crate::body::List;
use crate::request::{Request, UrlError};
use crate::response::{BodyError, Response};

/// The query parameter carrying the offset of the next page.
pub const SKIP_TOKEN: &str = "$skipToken";

/// Why a page cannot be read or served.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PagingError {
    /// The response body is not a list of the expected items.
    #[error(transparent)]
    Body(#[from] BodyError),
    /// `nextLink` is not a URL.
    #[error(transparent)]
    Url(#[from] UrlError),
    /// A `$skipToken` value that is not a decimal offset.
    #[error("invalid $skipToken {0:?}")]
    BadSkipToken(String),
}

/// One page as a client sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// The GET for the next page, `None` on the last page.
    pub next: Option<Request>,
}

/// The GET for the page after `list` (its `nextLink` as given), if any.
pub fn next_request<T>(list: &List<T>) -> Result<Option<Request>, UrlError> {
    list.next_link.as_deref().map(Request::get_url).transpose()
}

/// Reads a list response: its items and the request for the next page.
pub fn read_page<T: DeserializeOwned>(response: &Response) -> Result<Page<T>, PagingError> {
    let list: List<T> = response.json()?;
    let next = next_request(&list)?;
    Ok(Page {
        items: list.value,
        next,
    })
}

/// Cuts the page starting at `offset` (at most `page_size` items;
/// `page_size == 0` means "all the rest") out of `items`. If items
/// remain, `nextLink` is `base` (the list URL or `path?query`, any
/// `$skipToken` in it replaced) with `$skipToken=<next offset>`. An
/// offset past the end gives an empty last page.
pub fn page<T: Clone>(items: &[T], offset: usize, page_size: usize, base: &str) -> List<T> {
    let start = offset.min(items.len());
    let end = if page_size == 0 {
        items.len()
    } else {
        start.saturating_add(page_size).min(items.len())
    };
    List {
        value: items[start..end].to_vec(),
        next_link: (end < items.len()).then(|| with_skip_token(base, end)),
    }
}

fn is_skip_token_param(kv: &str) -> bool {
    let name = kv.split('=').next().unwrap_or_default();
    name.eq_ignore_ascii_case(SKIP_TOKEN) || name.eq_ignore_ascii_case("%24skipToken")
}

/// `url` with its `$skipToken` parameter set to `offset` (added, or
/// replacing an existing one); other parameters keep their order.
pub fn with_skip_token(url: &str, offset: usize) -> String {
    let (head, query) = url.split_once('?').unwrap_or((url, ""));
    let mut params: Vec<&str> = query
        .split('&')
        .filter(|kv| !kv.is_empty() && !is_skip_token_param(kv))
        .collect();
    let token = format!("{SKIP_TOKEN}={offset}");
    params.push(&token);
    format!("{head}?{}", params.join("&"))
}

/// The offset in the `$skipToken` of a URL or `path?query` (name matched
/// case-insensitively, also as `%24skipToken`); 0 when there is none.
pub fn skip_token(url: &str) -> Result<usize, PagingError> {
    let Some((_, query)) = url.split_once('?') else {
        return Ok(0);
    };
    match query.split('&').find(|kv| is_skip_token_param(kv)) {
        None => Ok(0),
        Some(kv) => {
            let value = kv.split_once('=').map(|(_, v)| v).unwrap_or_default();
            value
                .parse()
                .map_err(|_| PagingError::BadSkipToken(value.to_owned()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::body::Database;
    use crate::id::ServerId;
    use crate::request::Method;

    #[test]
    fn pages_walk_the_whole_list_once() {
        let items: Vec<u32> = (0..7).collect();
        let base = "https://m/subscriptions/s/resourceGroups/g/providers/Microsoft.Sql/servers/x/databases?api-version=2023-08-01";
        let mut seen = Vec::new();
        let mut url = base.to_owned();
        let mut pages = 0;
        loop {
            let offset = skip_token(&url).unwrap();
            let list = page(&items, offset, 3, base);
            seen.extend(list.value.iter().copied());
            pages += 1;
            match list.next_link {
                Some(next) => {
                    assert_eq!(next.matches("api-version").count(), 1);
                    url = next
                }
                None => break,
            }
        }
        assert_eq!(seen, items);
        assert_eq!(pages, 3);
        assert_eq!(
            with_skip_token(&with_skip_token(base, 3), 6),
            format!("{base}&$skipToken=6")
        );
        assert_eq!(with_skip_token("/p", 2), "/p?$skipToken=2");
    }

    #[test]
    fn page_edges() {
        let items = [1, 2, 3];
        assert_eq!(page(&items, 0, 0, "/p"), List::new(vec![1, 2, 3]));
        assert_eq!(page(&items, 0, 3, "/p"), List::new(vec![1, 2, 3]));
        assert_eq!(page(&items, 9, 2, "/p"), List::new(vec![]));
        assert_eq!(page::<u8>(&[], 0, 2, "/p"), List::new(vec![]));
        assert_eq!(page(&items, 2, usize::MAX, "/p"), List::new(vec![3]));
    }

    #[test]
    fn skip_token_parsing() {
        assert_eq!(skip_token("/p"), Ok(0));
        assert_eq!(skip_token("/p?api-version=1"), Ok(0));
        assert_eq!(skip_token("/p?api-version=1&$skiptoken=40"), Ok(40));
        assert_eq!(skip_token("https://h/p?%24skipToken=5&a=b"), Ok(5));
        assert_eq!(
            skip_token("/p?$skipToken=abc"),
            Err(PagingError::BadSkipToken("abc".into()))
        );
        assert_eq!(
            skip_token("/p?$skipToken"),
            Err(PagingError::BadSkipToken(String::new()))
        );
    }

    #[test]
    fn read_page_follows_next_link_as_given() {
        let server = ServerId::new("s", "g", "x");
        let next = "https://management.azure.com/subscriptions/s/resourceGroups/g/providers/Microsoft.Sql/servers/x/databases?api-version=2023-08-01&$skipToken=opaque%3D%3D";
        let body = serde_json::json!({"value": [{"name": "a"}, {"name": "b"}], "nextLink": next});
        let resp = Response::from_wire(200, [], &body.to_string());
        let p: Page<Database> = read_page(&resp).unwrap();
        assert_eq!(p.items.len(), 2);
        let req = p.next.unwrap();
        assert_eq!(req.method, Method::Get);
        assert_eq!(
            req.path_and_query(),
            format!(
                "{}?api-version=2023-08-01&$skipToken=opaque%3D%3D",
                Request::list_databases(&server).path
            )
        );
        let last = Response::new(200).with_payload(List::new(vec![Database::default()]));
        assert_eq!(read_page::<Database>(&last).unwrap().next, None);
        assert!(matches!(
            read_page::<Database>(&Response::new(200)),
            Err(PagingError::Body(BodyError::Empty))
        ));
        let bad = Response::from_wire(200, [], r#"{"value":[],"nextLink":"relative/x"}"#);
        assert!(matches!(
            read_page::<Database>(&bad),
            Err(PagingError::Url(_))
        ));
    }
}
