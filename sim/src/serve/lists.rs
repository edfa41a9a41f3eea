//! `GET {server}/databases`, cheaply: one rendered page per server, kept
//! in step with the model incrementally and handed out shared
//! ([`::arm::SharedDatabases`]: the page and each entry are `Arc`s).
//!
//! Each list walks the server's databases in the model once, merging them
//! (name order) with what the page was rendered from (name order: ids,
//! states, pools; the names are the page's own index, one compact buffer,
//! [`::arm::body::DatabasePage`]), without allocating and without touching
//! the rendered entries. Then:
//! - nothing changed: the page is handed out as is (an `Arc` clone);
//! - only states or pools changed: those entries are patched in place
//!   (their status enum, and the pool id string when the pool changed);
//! - databases appeared, went, were renamed or recreated: a second walk
//!   inserts / removes / replaces those entries in place (a few) or moves
//!   every kept entry into a new page (many), rendering only the new ones:
//!   ids are formatted once per database, not once per list.
//!
//! A page the caller still holds is never changed: `Arc::make_mut` then
//! copies the page (one pointer and one index slot per database) and each
//! changed entry, not the others. Every change goes through the page's
//! methods, which keep its index in step with its entries (checked on
//! every page handed out, in debug builds).

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::sync::Arc;

use ::arm::body::DatabasePage;
use ::arm::{ServerId, SharedDatabases};

use super::render;
use crate::model::AzureModel;
use crate::request::{DatabaseInfo, DbId, DbState, PoolId};

/// Up to this many insertions and removals are made in place (each shifts
/// the tail of the page, one pointer an entry); more rebuild the page.
const IN_PLACE_EDITS: usize = 32;

/// Up to this many logged changes are applied one by one; more walk the
/// server's databases.
const CHANGES_APPLIED: usize = 256;

/// What a page entry was rendered from (its name is the page's:
/// [`DatabasePage::name`]).
#[derive(Clone, Copy)]
struct Key {
    id: DbId,
    state: DbState,
    pool: Option<PoolId>,
}

impl Key {
    fn new(info: &DatabaseInfo) -> Self {
        Key {
            id: info.id,
            state: info.state,
            pool: info.pool,
        }
    }
}

impl Key {
    fn same_state(&self, info: &DatabaseInfo) -> bool {
        self.state == info.state && self.pool == info.pool
    }
}

/// One server's rendered page.
struct Page {
    /// The server as the page's ids name it (subscription, resource group).
    owner: ServerId,
    /// `owner.id()`.
    server_id: String,
    /// The `location` of every entry.
    location: String,
    /// What each entry of `page.value` was rendered from.
    keys: Vec<Key>,
    /// In name order (so ranks are positions).
    page: SharedDatabases,
    /// The model's identity of the server the page was rendered from, and
    /// how many entries of its change log the page reflects.
    read: Option<(u32, usize)>,
    /// Changes made since the page's index was last checked (debug builds).
    unchecked: usize,
}

/// The pages of every server listed so far.
#[derive(Default)]
pub(crate) struct DatabasePages {
    by_server: BTreeMap<String, Page>,
}

impl DatabasePages {
    /// The current page of `server`'s databases (in name order), rendered
    /// with `server`'s subscription and resource group and `location`.
    /// An unknown server gives an empty page.
    pub(crate) fn page(
        &mut self,
        model: &AzureModel,
        server: &ServerId,
        location: &str,
    ) -> SharedDatabases {
        let page = match self.by_server.get_mut(server.name.as_str()) {
            Some(p) if p.owner == *server && p.location == location => p,
            _ => {
                let fresh = Page {
                    owner: server.clone(),
                    server_id: server.id(),
                    location: location.to_owned(),
                    keys: Vec::new(),
                    page: Arc::new(DatabasePage::default()),
                    read: None,
                    unchecked: 0,
                };
                self.by_server.insert(server.name.clone(), fresh);
                self.by_server
                    .get_mut(server.name.as_str())
                    .expect("just inserted")
            }
        };
        // A check reads every entry: a page is checked once as many
        // changes as a sixteenth of its entries were made to it (checking
        // each page handed out made debug builds quadratic).
        page.unchecked += page.refresh(model);
        if page.unchecked > 0 && page.unchecked >= page.keys.len() / 16 {
            page.unchecked = 0;
            page.page.debug_check();
            debug_assert!(page.page.in_order() && page.page.value.len() == page.keys.len());
        }
        Arc::clone(&page.page)
    }
}

/// Whether two names are equal: the walk's hot comparison. Names of 8 to
/// 16 bytes (most database names) compare as two words without a branch
/// on their content, so the loads of many databases overlap.
#[inline]
fn same_name(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    if !(8..=16).contains(&n) {
        return a == b;
    }
    let word = |s: &[u8], at: usize| {
        let mut w = [0; 8];
        w.copy_from_slice(&s[at..at + 8]);
        u64::from_ne_bytes(w)
    };
    (word(a, 0) == word(b, 0)) & (word(a, n - 8) == word(b, n - 8))
}

/// Orders two names (byte order, the model's order).
#[inline]
fn order(a: &[u8], b: &[u8]) -> Ordering {
    if same_name(a, b) {
        Ordering::Equal
    } else {
        a.cmp(b)
    }
}

/// The resource id of `pool` on the server `server_id`.
fn pool_id(server_id: &str, model: &AzureModel, pool: Option<PoolId>) -> Option<render::Pooled> {
    let pool = pool?;
    let (_, name) = model.pool_name(pool)?;
    Some(render::Pooled {
        id: format!("{server_id}/elasticPools/{name}"),
        tier: model.front.pool_tier(pool),
    })
}

impl Page {
    /// Brings the page in step with the model: from the server's change
    /// log when it can (what changed since the last list: O(changes)),
    /// else by walking the server's databases. Returns how many changes
    /// were applied (a walk counts as one per entry).
    fn refresh(&mut self, model: &AzureModel) -> usize {
        if let Some((sid, log)) = model.database_changes(&self.owner.name) {
            if let Some((read_sid, read)) = self.read
                && read_sid == sid
                && read <= log.len()
            {
                let fresh = &log[read..];
                if fresh.is_empty() {
                    return 0;
                }
                if fresh.len() <= CHANGES_APPLIED && self.apply(model, fresh) {
                    self.read = Some((sid, log.len()));
                    return fresh.len();
                }
            }
            self.walk(model);
            self.read = Some((sid, log.len()));
        } else {
            self.walk(model);
            self.read = None;
        }
        self.keys.len().max(1)
    }

    /// Applies logged changes one database at a time; `false` (the page is
    /// then walked in full) for a rename or a name taken by another
    /// database.
    fn apply(&mut self, model: &AzureModel, changes: &[(DbId, bool)]) -> bool {
        for &(db, renamed) in changes {
            if renamed {
                return false;
            }
            let Some((name, info, alive)) = model.database_entry(db) else {
                return false;
            };
            // The page is in name order: ranks are positions.
            match self.page.search(name) {
                Ok(i) if self.keys[i].id == db => {
                    if !alive {
                        self.keys.remove(i);
                        Arc::make_mut(&mut self.page).remove(i);
                    } else if !self.keys[i].same_state(&info) {
                        self.patch(model, &[(i, info)]);
                    }
                }
                Ok(_) if !alive => {}
                Ok(_) => return false,
                Err(i) => {
                    if alive {
                        let pool = pool_id(&self.server_id, model, info.pool);
                        let entry = render::database(
                            &self.server_id,
                            name,
                            &self.location,
                            &info,
                            pool,
                            !model.front.lean_lists,
                        );
                        self.keys.insert(i, Key::new(&info));
                        Arc::make_mut(&mut self.page).insert(i, Arc::new(entry));
                    }
                }
            }
        }
        true
    }

    /// Brings the page in step with the model by walking the server's
    /// databases once (see the module docs).
    fn walk(&mut self, model: &AzureModel) {
        let Some(live) = model.databases_of(&self.owner.name) else {
            if !self.keys.is_empty() {
                self.keys.clear();
                self.page = Arc::new(DatabasePage::default());
            }
            return;
        };
        // The common case first, in a tight loop (the model's data is
        // mostly out of cache: the fewer instructions per database, the
        // more of its loads overlap): nothing changed.
        if live.len() == self.keys.len() {
            // No early exit and no short-circuit: the loop's branches do
            // not wait for the model's (uncached) data.
            let mut unchanged = true;
            for ((key, shown), (name, info)) in self.keys.iter().zip(self.page.names()).zip(live) {
                unchanged &= (key.id == info.id)
                    & (key.state == info.state)
                    & (key.pool == info.pool)
                    & same_name(shown.as_bytes(), name.as_bytes());
            }
            if unchanged {
                return;
            }
        }
        let Some(live) = model.databases_of(&self.owner.name) else {
            return;
        };
        // A read-only merge of the model's databases with the keys.
        let mut patches: Vec<(usize, DatabaseInfo)> = Vec::new();
        let mut moves = 0; // insertions and removals
        let mut replaced = 0; // same name, another database
        let mut j = 0;
        for (name, info) in live {
            loop {
                let Some(key) = self.keys.get(j) else {
                    moves += 1; // appended
                    break;
                };
                match order(self.page.name(j).as_bytes(), name.as_bytes()) {
                    Ordering::Equal => {
                        if key.id != info.id {
                            replaced += 1;
                        } else if !key.same_state(&info) {
                            patches.push((j, info));
                        }
                        j += 1;
                        break;
                    }
                    Ordering::Less => {
                        moves += 1; // removed
                        j += 1;
                    }
                    Ordering::Greater => {
                        moves += 1; // inserted
                        break;
                    }
                }
            }
        }
        moves += self.keys.len() - j;
        if moves == 0 && replaced == 0 {
            if !patches.is_empty() {
                self.patch(model, &patches);
            }
        } else {
            self.edit(model, moves <= IN_PLACE_EDITS);
        }
    }

    /// Same databases in the same places: only states and pools changed.
    fn patch(&mut self, model: &AzureModel, patches: &[(usize, DatabaseInfo)]) {
        let Self {
            server_id,
            keys,
            page,
            ..
        } = self;
        let page = Arc::make_mut(page);
        for (i, info) in patches {
            let key = &mut keys[*i];
            let pool_changed = key.pool != info.pool;
            page.update(*i, |entry| {
                render::set_database_state(
                    entry,
                    info.state,
                    pool_changed,
                    || pool_id(server_id, model, info.pool),
                    !model.front.lean_lists,
                );
            });
            key.state = info.state;
            key.pool = info.pool;
        }
    }

    /// Databases appeared, went, were renamed or recreated: merges the
    /// model's databases with the page, keeping every entry whose id and
    /// name are unchanged (patched if its state changed) and rendering the
    /// others. `in_place`: edit the page's entries where they are (few
    /// changes); otherwise move the kept entries into a new page.
    fn edit(&mut self, model: &AzureModel, in_place: bool) {
        let Some(live) = model.databases_of(&self.owner.name) else {
            return;
        };
        // The old names, before the page changes (one compact copy).
        let mut old_names = String::new();
        let mut old_spans = Vec::with_capacity(self.keys.len());
        for name in self.page.names() {
            old_spans.push((old_names.len(), name.len()));
            old_names.push_str(name);
        }
        let old_keys = std::mem::take(&mut self.keys);
        let Self {
            server_id,
            location,
            keys,
            page,
            ..
        } = self;
        let page = Arc::make_mut(page);
        let mut old_values = if in_place {
            Vec::new()
        } else {
            page.take_entries()
        }
        .into_iter();
        page.reserve(live.len());
        keys.reserve(old_keys.len() + IN_PLACE_EDITS);
        let old_name = |i: usize| {
            let (at, len) = old_spans[i];
            &old_names[at..at + len]
        };
        // `i` walks the old keys; in place, `j` is the position in the page.
        let mut i = 0;
        let mut j = 0;
        for (name, info) in live {
            // Old entries before `name` are gone (deleted or renamed).
            while i < old_keys.len() && old_name(i) < name {
                if in_place {
                    page.remove(j);
                } else {
                    old_values.next();
                }
                i += 1;
            }
            let same_name = i < old_keys.len() && old_name(i) == name;
            let kept = same_name && old_keys[i].id == info.id;
            let render_new = || {
                let pool = pool_id(server_id, model, info.pool);
                Arc::new(render::database(
                    server_id,
                    name,
                    location,
                    &info,
                    pool,
                    !model.front.lean_lists,
                ))
            };
            if kept {
                let old = old_keys[i];
                if !in_place {
                    let entry = old_values.next().expect("one value per key");
                    page.push(entry);
                }
                if !old.same_state(&info) {
                    let pool_changed = old.pool != info.pool;
                    page.update(j, |entry| {
                        render::set_database_state(
                            entry,
                            info.state,
                            pool_changed,
                            || pool_id(server_id, model, info.pool),
                            !model.front.lean_lists,
                        );
                    });
                }
                i += 1;
            } else if same_name {
                // The name now belongs to another database: replace.
                if in_place {
                    page.replace(j, render_new());
                } else {
                    old_values.next();
                    page.push(render_new());
                }
                i += 1;
            } else if in_place {
                page.insert(j, render_new());
            } else {
                page.push(render_new());
            }
            keys.push(Key::new(&info));
            j += 1;
        }
        page.truncate(j);
    }
}
