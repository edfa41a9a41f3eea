//! [`DatabasePage`]: a page of databases (`List<Arc<Database>>`, what goes
//! on the wire) with a compact index of its entries' names, statuses and
//! elastic pools, so a reader finds a database by name without touching
//! the entries.
//!
//! The index is derived data: every change goes through the page's
//! methods, which re-read the changed entry, so the index cannot drift
//! from the entries ([`DatabasePage::check`] verifies it;
//! [`DatabasePage::debug_check`] does so in debug builds). It is not
//! serialized: a page serializes exactly as its list, and a page read back
//! (from the wire or a journal) rebuilds its index, sorting the names once.

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::ops::Deref;
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{Database, DatabaseStatus, List};

/// [`DatabasePage::seek`] steps over up to this many names before galloping.
const LINEAR: usize = 16;

/// "None" in [`Slot::status`] and [`Slot::pool`].
const NONE: u32 = u32::MAX;

/// What the index knows of one entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Slot {
    /// The name's first 8 bytes ([`prefix`]).
    prefix: u64,
    /// The name: `names[at..at + len]`.
    at: usize,
    len: u32,
    /// `properties.status`: an index into `statuses`, or [`NONE`].
    status: u32,
    /// `properties.elasticPoolId`: an index into `pools`, or [`NONE`].
    pool: u32,
}

/// The first 8 bytes of `name`, zero-padded, big-endian: if two prefixes
/// differ they order the names (byte order); if equal, the names decide.
fn prefix(name: &str) -> u64 {
    let mut word = [0; 8];
    let head = &name.as_bytes()[..name.len().min(8)];
    word[..head.len()].copy_from_slice(head);
    u64::from_be_bytes(word)
}

/// What a search compares first: a name's [`prefix`] and length. Two names
/// of at most 8 bytes compare by their keys alone (equal prefixes: the
/// shorter is a prefix of the longer). A ranked key also carries its
/// entry's status, so a search that finds a name reads nothing else
/// ([`DatabasePage::seek_status`]). No `PartialEq`: a search key and a
/// ranked key of the same name differ in `status`.
#[derive(Clone, Copy, Debug)]
struct Key {
    prefix: u64,
    len: u32,
    /// [`Slot::status`] of the entry (in a search's key: [`NONE`]).
    status: u32,
}

impl Key {
    fn of(name: &str) -> Self {
        Key {
            prefix: prefix(name),
            len: u32::try_from(name.len()).unwrap_or(u32::MAX),
            status: NONE,
        }
    }

    fn of_slot(slot: &Slot) -> Self {
        Key {
            prefix: slot.prefix,
            len: slot.len,
            status: slot.status,
        }
    }
}

/// Distinct values, each stored once, found by binary search.
#[derive(Clone, Debug)]
struct Interned<T> {
    values: Vec<T>,
    /// Indices into `values`, in value order.
    sorted: Vec<u32>,
}

impl<T> Default for Interned<T> {
    fn default() -> Self {
        Self {
            values: Vec::new(),
            sorted: Vec::new(),
        }
    }
}

impl<T: Ord> Interned<T> {
    /// The index of `value`, added if new ([`NONE`] if the table is full).
    fn intern<Q>(&mut self, value: &Q) -> u32
    where
        T: Borrow<Q>,
        Q: Ord + ToOwned<Owned = T> + ?Sized,
    {
        let values = &self.values;
        match self
            .sorted
            .binary_search_by(|&i| Borrow::<Q>::borrow(&values[i as usize]).cmp(value))
        {
            Ok(k) => self.sorted[k],
            Err(k) => {
                let Ok(i) = u32::try_from(self.values.len()) else {
                    return NONE;
                };
                if i == NONE {
                    return NONE;
                }
                self.values.push(value.to_owned());
                self.sorted.insert(k, i);
                i
            }
        }
    }

    fn get(&self, i: u32) -> Option<&T> {
        self.values.get(i as usize)
    }
}

/// The index of a [`DatabasePage`] (see the module docs).
#[derive(Clone, Debug, Default)]
struct Index {
    /// One per entry, in entry order.
    slots: Vec<Slot>,
    /// The names, back to back. Holds the names of removed or renamed
    /// entries too until compacted ([`Index::compact`]).
    names: String,
    /// Bytes of `names` that slots point at.
    live: usize,
    /// Entry positions in name order; empty when the entries are in name
    /// order themselves (the producer's case: no indirection).
    order: Vec<u32>,
    /// The names' [`Key`]s in name order: what a search reads (contiguous);
    /// most comparisons end here.
    ranked: Vec<Key>,
    statuses: Interned<DatabaseStatus>,
    pools: Interned<String>,
}

impl Index {
    fn name(&self, slot: &Slot) -> &str {
        self.names
            .get(slot.at..slot.at + slot.len as usize)
            .unwrap_or_default()
    }

    /// The slot of `db`, its name appended to `names`.
    fn slot(&mut self, db: &Database) -> Slot {
        let name = db.name.as_deref().unwrap_or_default();
        let props = db.properties.as_ref();
        let status = props
            .and_then(|p| p.status.as_ref())
            .map_or(NONE, |s| self.statuses.intern(s));
        let pool = props
            .and_then(|p| p.elastic_pool_id.as_deref())
            .map_or(NONE, |id| self.pools.intern(id));
        let at = self.names.len();
        self.names.push_str(name);
        self.live += name.len();
        Slot {
            prefix: prefix(name),
            at,
            len: u32::try_from(name.len()).unwrap_or(u32::MAX),
            status,
            pool,
        }
    }

    fn forget(&mut self, slot: &Slot) {
        self.live -= slot.len as usize;
    }

    /// Drops the names no slot points at once they are half of `names`
    /// (amortized O(1) per change).
    fn compact(&mut self) {
        if self.names.len() <= 4096 || self.names.len() <= 2 * self.live {
            return;
        }
        let mut names = String::with_capacity(self.live);
        for slot in &mut self.slots {
            let at = names.len();
            names.push_str(
                self.names
                    .get(slot.at..slot.at + slot.len as usize)
                    .unwrap_or_default(),
            );
            slot.at = at;
        }
        self.names = names;
    }

    /// The entry position at `rank` in name order.
    fn position(&self, rank: usize) -> usize {
        if self.order.is_empty() {
            rank
        } else {
            self.order[rank] as usize
        }
    }

    fn name_at_rank(&self, rank: usize) -> &str {
        self.name(&self.slots[self.position(rank)])
    }

    /// Orders the name at `rank` against `name` (whose [`prefix`] is
    /// `key`), reading the names only when the prefixes are equal.
    fn cmp_at_rank(&self, rank: usize, key: Key, name: &str) -> Ordering {
        let at = self.ranked[rank];
        match at.prefix.cmp(&key.prefix) {
            Ordering::Equal if at.len <= 8 && key.len <= 8 => at.len.cmp(&key.len),
            Ordering::Equal => self.name_at_rank(rank).cmp(name),
            unequal => unequal,
        }
    }

    /// Whether the entries around `i` are in name order.
    fn ordered_around(&self, i: usize) -> bool {
        let n = self.slots.len();
        let name = |k: usize| self.name(&self.slots[k]);
        (i == 0 || i >= n || name(i - 1) <= name(i)) && (i + 1 >= n || name(i) <= name(i + 1))
    }

    /// After entry `i` was added or renamed: keeps `order` right.
    fn placed(&mut self, i: usize) {
        if !self.order.is_empty() || !self.ordered_around(i) {
            self.sort();
        }
    }

    /// Rebuilds `order` (stable: equal names keep their entry order) and
    /// `ranked`.
    fn sort(&mut self) {
        let mut order: Vec<u32> = (0..self.slots.len())
            .map(|i| u32::try_from(i).unwrap_or(NONE))
            .collect();
        order.sort_by(|&a, &b| {
            self.name(&self.slots[a as usize])
                .cmp(self.name(&self.slots[b as usize]))
        });
        let identity = order.iter().enumerate().all(|(i, &p)| p as usize == i);
        self.order = if identity { Vec::new() } else { order };
        let ranked = (0..self.slots.len())
            .map(|r| Key::of_slot(&self.slots[self.position(r)]))
            .collect();
        self.ranked = ranked;
    }
}

/// A database as the page's index shows it ([`DatabasePage::indexed`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Indexed<'a> {
    /// The entry's position in the page (`page.value[position]`).
    pub position: usize,
    /// Its `name` (empty if it has none).
    pub name: &'a str,
    /// Its `properties.status`.
    pub status: Option<&'a DatabaseStatus>,
    /// Its `properties.elasticPoolId`.
    pub elastic_pool_id: Option<&'a str>,
}

/// Where a page's index disagrees with its entries ([`DatabasePage::check`]).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("database page index disagrees with its entries at {position}: {what}")]
pub struct IndexDrift {
    /// The entry (or, for `order`, the rank) that disagrees.
    pub position: usize,
    /// What disagrees.
    pub what: &'static str,
}

/// A page of databases with a compact, name-sorted index of its entries
/// (see the module docs). Read it as a [`List`] (it derefs to one); find
/// entries with [`DatabasePage::find`], [`DatabasePage::seek`] and
/// [`DatabasePage::indexed`]; change it with its methods (a producer keeps
/// the entries in name order, so the index needs no permutation).
///
/// Equality compares the lists only. Serializes exactly as
/// `List<Database>`; deserializing rebuilds the index.
#[derive(Clone, Default)]
pub struct DatabasePage {
    list: List<Arc<Database>>,
    index: Index,
}

impl DatabasePage {
    /// A page of `list`'s entries, indexed (names sorted once, unless they
    /// are in order already).
    pub fn new(list: List<Arc<Database>>) -> Self {
        let mut index = Index {
            slots: Vec::with_capacity(list.value.len()),
            ..Index::default()
        };
        for db in &list.value {
            let slot = index.slot(db);
            index.slots.push(slot);
        }
        let in_order = index
            .slots
            .windows(2)
            .all(|w| index.name(&w[0]) <= index.name(&w[1]));
        if in_order {
            index.ranked = index.slots.iter().map(Key::of_slot).collect();
        } else {
            index.sort();
        }
        Self { list, index }
    }

    /// The page as a list (what is serialized).
    pub fn list(&self) -> &List<Arc<Database>> {
        &self.list
    }

    /// The list, dropping the index.
    pub fn into_list(self) -> List<Arc<Database>> {
        self.list
    }

    /// Sets the URL of the next page.
    pub fn set_next_link(&mut self, next_link: Option<String>) {
        self.list.next_link = next_link;
    }

    /// Whether the entries are in name order (byte order of their names).
    pub fn in_order(&self) -> bool {
        self.index.order.is_empty()
    }

    // ----- reading ---------------------------------------------------------

    /// The name of entry `position` as indexed (empty if it has none or
    /// there is no such entry).
    pub fn name(&self, position: usize) -> &str {
        self.index
            .slots
            .get(position)
            .map_or("", |s| self.index.name(s))
    }

    /// The entries' names, in entry order.
    pub fn names(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        self.index.slots.iter().map(|s| self.index.name(s))
    }

    /// Entry `position` as indexed, without touching the entry.
    pub fn indexed(&self, position: usize) -> Option<Indexed<'_>> {
        let slot = self.index.slots.get(position)?;
        Some(Indexed {
            position,
            name: self.index.name(slot),
            status: self.index.statuses.get(slot.status),
            elastic_pool_id: self.index.pools.get(slot.pool).map(String::as_str),
        })
    }

    /// The entry position of the `rank`-th name in name order.
    pub fn position(&self, rank: usize) -> Option<usize> {
        (rank < self.index.slots.len()).then(|| self.index.position(rank))
    }

    /// Binary search of `name` in name order: `Ok(rank)` of an entry with
    /// that name, or `Err(rank)` where it would be. For a page
    /// [`in order`](Self::in_order) ranks are entry positions.
    pub fn search(&self, name: &str) -> Result<usize, usize> {
        self.search_in(0, self.index.slots.len(), name)
    }

    fn search_in(&self, from: usize, to: usize, name: &str) -> Result<usize, usize> {
        let key = Key::of(name);
        let mut lo = from;
        // As `slice::binary_search_by` (same probes, same answer).
        let mut size = to - lo;
        if size == 0 {
            return Err(lo);
        }
        while size > 1 {
            let half = size / 2;
            let mid = lo + half;
            if self.index.cmp_at_rank(mid, key, name) != Ordering::Greater {
                lo = mid;
            }
            size -= half;
        }
        match self.index.cmp_at_rank(lo, key, name) {
            Ordering::Equal => Ok(lo),
            Ordering::Less => Err(lo + 1),
            Ordering::Greater => Err(lo),
        }
    }

    /// The entry named `name`, if any.
    pub fn find(&self, name: &str) -> Option<Indexed<'_>> {
        let rank = self.search(name).ok()?;
        self.indexed(self.index.position(rank))
    }

    /// Finds `name` at or after rank `from`: steps over the next few names
    /// (sequential reads), then gallops (doubling steps, then a binary
    /// search), so looking up p names in name order costs O(p log(n/p))
    /// comparisons. Returns the rank the next search may start at, and the
    /// entry, if there (with duplicate names, one of them: the first if it
    /// is near).
    pub fn seek(&self, from: usize, name: &str) -> (usize, Option<Indexed<'_>>) {
        match self.seek_from(from, name) {
            Ok(rank) => (rank + 1, self.indexed(self.index.position(rank))),
            Err(rank) => (rank, None),
        }
    }

    /// As [`DatabasePage::seek`], starting at rank `hint` (where `name` was
    /// on an earlier version of this page, or any guess) instead of at
    /// `from`, and answering only the entry's position and status: a name
    /// whose rank moved by a few since costs a few comparisons, and only
    /// the ranked keys are read (no entry, no slot), which is what
    /// following many operations through one list needs. Looks back from
    /// `hint` (galloping, never before `from`) when `name` ranks before it.
    /// Same answers as `seek(from, name)`: the rank to start the next
    /// search at (a name after `name`), and the entry, if there (with
    /// duplicate names, one of them, not necessarily the one `seek` finds).
    pub fn seek_status(
        &self,
        from: usize,
        hint: usize,
        name: &str,
    ) -> (usize, Option<(usize, Option<&DatabaseStatus>)>) {
        match self.seek_rank(from, hint, name) {
            Ok(rank) => {
                let status = self.index.statuses.get(self.index.ranked[rank].status);
                (rank + 1, Some((self.index.position(rank), status)))
            }
            Err(rank) => (rank, None),
        }
    }

    /// `Ok(rank)` of `name` at or after rank `from`, or `Err(rank)` where
    /// it would be ([`DatabasePage::seek`]).
    fn seek_from(&self, from: usize, name: &str) -> Result<usize, usize> {
        let len = self.index.slots.len();
        let from = from.min(len);
        let rest = len - from;
        let key = Key::of(name);
        // Nearby names are stepped to (sequential reads, prefetched);
        // farther ones galloped to.
        let mut rank = from;
        while rank < from + LINEAR.min(rest) {
            match self.index.cmp_at_rank(rank, key, name) {
                Ordering::Less => rank += 1,
                Ordering::Equal => return Ok(rank),
                Ordering::Greater => return Err(rank),
            }
        }
        let (from, rest) = (rank, len - rank);
        let mut bound = 1;
        while bound < rest && self.index.cmp_at_rank(from + bound - 1, key, name) == Ordering::Less
        {
            bound *= 2;
        }
        self.search_in(from, from + bound.min(rest), name)
    }

    /// As [`DatabasePage::seek_from`], starting at rank `hint`
    /// ([`DatabasePage::seek_status`]).
    fn seek_rank(&self, from: usize, hint: usize, name: &str) -> Result<usize, usize> {
        let len = self.index.slots.len();
        let from = from.min(len);
        let start = hint.clamp(from, len);
        if start > from {
            let key = Key::of(name);
            if self.index.cmp_at_rank(start - 1, key, name) != Ordering::Less {
                // `name` ranks in [from, start): gallop back to a lower
                // bound, then search between.
                let mut bound = 1;
                while bound < start - from
                    && self.index.cmp_at_rank(start - 1 - bound, key, name) != Ordering::Less
                {
                    bound *= 2;
                }
                // Rank `start - 1 - bound` is before `name`.
                let lo = if start - from > bound {
                    start - bound
                } else {
                    from
                };
                return self.search_in(lo, start, name);
            }
        }
        self.seek_from(start, name)
    }

    // ----- checking --------------------------------------------------------

    /// Whether the index agrees with the entries: names, statuses, pools,
    /// and name order.
    pub fn check(&self) -> Result<(), IndexDrift> {
        let drift = |position, what| Err(IndexDrift { position, what });
        let index = &self.index;
        if index.slots.len() != self.list.value.len() {
            return drift(index.slots.len().min(self.list.value.len()), "length");
        }
        for (i, (slot, db)) in index.slots.iter().zip(&self.list.value).enumerate() {
            let name = db.name.as_deref().unwrap_or_default();
            if index.name(slot) != name || slot.prefix != prefix(name) {
                return drift(i, "name");
            }
            let props = db.properties.as_ref();
            if index.statuses.get(slot.status) != props.and_then(|p| p.status.as_ref()) {
                return drift(i, "status");
            }
            if index.pools.get(slot.pool).map(String::as_str)
                != props.and_then(|p| p.elastic_pool_id.as_deref())
            {
                return drift(i, "elastic pool");
            }
        }
        if !index.order.is_empty() {
            if index.order.len() != index.slots.len() {
                return drift(index.order.len(), "order length");
            }
            let mut seen = vec![false; index.slots.len()];
            for (rank, &p) in index.order.iter().enumerate() {
                match seen.get_mut(p as usize) {
                    Some(s) if !*s => *s = true,
                    _ => return drift(rank, "order is not a permutation"),
                }
            }
        }
        for rank in 1..index.slots.len() {
            if index.name_at_rank(rank - 1) > index.name_at_rank(rank) {
                return drift(rank, "name order");
            }
        }
        if index.ranked.len() != index.slots.len() {
            return drift(index.ranked.len().min(index.slots.len()), "prefix length");
        }
        for (rank, &p) in index.ranked.iter().enumerate() {
            let of_name = Key::of(index.name_at_rank(rank));
            if (p.prefix, p.len) != (of_name.prefix, of_name.len) {
                return drift(rank, "prefix");
            }
            if p.status != index.slots[index.position(rank)].status {
                return drift(rank, "ranked status");
            }
        }
        Ok(())
    }

    /// In debug builds, panics if the index disagrees with the entries
    /// ([`DatabasePage::check`]); nothing in release builds.
    pub fn debug_check(&self) {
        if cfg!(debug_assertions)
            && let Err(e) = self.check()
        {
            panic!("{e}");
        }
    }

    // ----- changing --------------------------------------------------------

    /// Reserves room for `additional` more entries.
    pub fn reserve(&mut self, additional: usize) {
        self.list.value.reserve(additional);
        self.index.slots.reserve(additional);
        self.index.ranked.reserve(additional);
    }

    /// Appends an entry.
    pub fn push(&mut self, db: Arc<Database>) {
        let slot = self.index.slot(&db);
        self.index.slots.push(slot);
        if self.index.order.is_empty() {
            self.index.ranked.push(Key::of_slot(&slot));
        }
        self.list.value.push(db);
        self.index.placed(self.index.slots.len() - 1);
    }

    /// Inserts an entry at `position`.
    ///
    /// # Panics
    /// If `position > len` (as [`Vec::insert`]).
    pub fn insert(&mut self, position: usize, db: Arc<Database>) {
        let slot = self.index.slot(&db);
        self.list.value.insert(position, db);
        self.index.slots.insert(position, slot);
        if self.index.order.is_empty() {
            self.index.ranked.insert(position, Key::of_slot(&slot));
        }
        self.index.placed(position);
    }

    /// Removes and returns entry `position`.
    ///
    /// # Panics
    /// If `position >= len` (as [`Vec::remove`]).
    pub fn remove(&mut self, position: usize) -> Arc<Database> {
        let db = self.list.value.remove(position);
        let slot = self.index.slots.remove(position);
        self.index.forget(&slot);
        if self.index.order.is_empty() {
            self.index.ranked.remove(position);
        } else {
            self.index.sort();
        }
        self.index.compact();
        db
    }

    /// Replaces entry `position`, returning the old one.
    ///
    /// # Panics
    /// If `position >= len`.
    pub fn replace(&mut self, position: usize, db: Arc<Database>) -> Arc<Database> {
        let slot = self.index.slot(&db);
        let old_slot = std::mem::replace(&mut self.index.slots[position], slot);
        self.index.forget(&old_slot);
        if self.index.order.is_empty() {
            self.index.ranked[position] = Key::of_slot(&slot);
        }
        let old = std::mem::replace(&mut self.list.value[position], db);
        self.index.placed(position);
        self.index.compact();
        old
    }

    /// Changes entry `position` in place (copied first if shared, as
    /// [`Arc::make_mut`]) and re-indexes it.
    ///
    /// # Panics
    /// If `position >= len`.
    pub fn update(&mut self, position: usize, change: impl FnOnce(&mut Database)) {
        let db = Arc::make_mut(&mut self.list.value[position]);
        change(db);
        let old = self.index.slots[position];
        let renamed = self.index.name(&old) != db.name.as_deref().unwrap_or_default();
        let mut slot = self.index.slot(db);
        if renamed {
            self.index.forget(&old);
        } else {
            // Same name: keep the old bytes, drop the copy just appended.
            self.index.names.truncate(slot.at);
            self.index.live -= slot.len as usize;
            slot.at = old.at;
        }
        self.index.slots[position] = slot;
        if self.index.order.is_empty() {
            self.index.ranked[position] = Key::of_slot(&slot);
        } else if !renamed && slot.status != old.status {
            // Its rank is not kept per entry: rebuilt (pages out of name
            // order are read from text, seldom changed).
            self.index.sort();
        }
        if renamed {
            self.index.placed(position);
            self.index.compact();
        }
    }

    /// Keeps the first `len` entries.
    pub fn truncate(&mut self, len: usize) {
        if len >= self.list.value.len() {
            return;
        }
        self.list.value.truncate(len);
        for slot in self.index.slots.split_off(len) {
            self.index.forget(&slot);
        }
        if self.index.order.is_empty() {
            self.index.ranked.truncate(len);
        } else {
            self.index.sort();
        }
        self.index.compact();
    }

    /// Takes every entry out, leaving an empty page (same `next_link`).
    pub fn take_entries(&mut self) -> Vec<Arc<Database>> {
        let next_link = self.list.next_link.take();
        let taken = std::mem::take(self);
        self.list.next_link = next_link;
        taken.list.value
    }
}

impl Deref for DatabasePage {
    type Target = List<Arc<Database>>;

    fn deref(&self) -> &Self::Target {
        &self.list
    }
}

impl PartialEq for DatabasePage {
    fn eq(&self, other: &Self) -> bool {
        self.list == other.list
    }
}

impl std::fmt::Debug for DatabasePage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&self.list, f)
    }
}

impl From<List<Arc<Database>>> for DatabasePage {
    fn from(list: List<Arc<Database>>) -> Self {
        Self::new(list)
    }
}

impl From<List<Database>> for DatabasePage {
    fn from(list: List<Database>) -> Self {
        Self::new(List {
            value: list.value.into_iter().map(Arc::new).collect(),
            next_link: list.next_link,
        })
    }
}

impl Serialize for DatabasePage {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.list.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for DatabasePage {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        List::<Arc<Database>>::deserialize(deserializer).map(Self::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::body::DatabaseProperties;

    fn db(name: &str, status: DatabaseStatus, pool: Option<&str>) -> Arc<Database> {
        Arc::new(Database {
            name: Some(name.into()),
            properties: Some(DatabaseProperties {
                status: Some(status),
                elastic_pool_id: pool.map(|p| format!("/x/elasticPools/{p}")),
                ..DatabaseProperties::default()
            }),
            ..Database::default()
        })
    }

    const TEXT: &str = r#"{"value":[
        {"name":"t3","properties":{"status":"Online","elasticPoolId":"/x/elasticPools/p1"}},
        {"name":"t1","properties":{"status":"Restoring"}},
        {"name":"t2","properties":{"status":"Offline","elasticPoolId":"/x/elasticPools/p2"}},
        {"name":"t0"},
        {"name":"t5","properties":{"status":"SomethingNew"}}
    ],"nextLink":"https://management.azure.com/next"}"#;

    #[test]
    fn a_page_read_from_text_finds_by_name() {
        let page: DatabasePage = serde_json::from_str(TEXT).unwrap();
        page.check().unwrap();
        assert!(!page.in_order());
        assert_eq!(page.value.len(), 5);
        assert_eq!(
            page.next_link.as_deref(),
            Some("https://management.azure.com/next")
        );
        let t3 = page.find("t3").unwrap();
        assert_eq!(t3.position, 0);
        assert_eq!(t3.status, Some(&DatabaseStatus::Online));
        assert_eq!(t3.elastic_pool_id, Some("/x/elasticPools/p1"));
        let t1 = page.find("t1").unwrap();
        assert_eq!(
            (t1.position, t1.status),
            (1, Some(&DatabaseStatus::Restoring))
        );
        assert_eq!(t1.elastic_pool_id, None);
        let t0 = page.find("t0").unwrap();
        assert_eq!(
            (t0.position, t0.status, t0.elastic_pool_id),
            (3, None, None)
        );
        assert_eq!(
            page.find("t5").unwrap().status,
            Some(&DatabaseStatus::Other("SomethingNew".into()))
        );
        assert_eq!(page.find("t4"), None);
        assert_eq!(page.find(""), None);
        assert_eq!(page.search("t4"), Err(4));
        // Galloping over names in order, ranks moving forward.
        let mut from = 0;
        let mut found = Vec::new();
        for name in ["a", "t0", "t2", "t21", "t3", "t5", "z"] {
            let (next, hit) = page.seek(from, name);
            assert!(next >= from);
            from = next;
            found.push(hit.map(|h| h.position));
        }
        assert_eq!(
            found,
            [None, Some(3), Some(2), None, Some(0), Some(4), None]
        );
        // Serializes exactly as the list; a round trip rebuilds the index.
        let list: List<Database> = serde_json::from_str(TEXT).unwrap();
        let json = serde_json::to_string(&page).unwrap();
        assert_eq!(json, serde_json::to_string(&list).unwrap());
        let back: DatabasePage = serde_json::from_str(&json).unwrap();
        back.check().unwrap();
        assert_eq!(back, page);
        assert_eq!(DatabasePage::from(list), page);
    }

    #[test]
    fn names_sharing_a_prefix_order_by_bytes() {
        let names = [
            "abcdefgh1",
            "abcdefgh",
            "abcdefgh\0",
            "ab",
            "ab\0",
            "",
            "abcdefgi",
            "b",
            "abcdefgh0z",
            "\u{e9}t\u{e9}",
            "abcdefg",
        ];
        let list = List::new(
            names
                .iter()
                .map(|n| db(n, DatabaseStatus::Online, None))
                .collect(),
        );
        let page = DatabasePage::new(list);
        page.check().unwrap();
        let mut sorted = names.to_vec();
        sorted.sort();
        let by_rank: Vec<&str> = (0..names.len())
            .map(|r| page.name(page.position(r).unwrap()))
            .collect();
        assert_eq!(by_rank, sorted);
        for (i, name) in names.iter().enumerate() {
            assert_eq!(page.find(name).map(|f| f.position), Some(i), "{name:?}");
        }
        for absent in [
            "a",
            "abcdefgh00",
            "abcdefgh\0\0",
            "c",
            "abcdefgg",
            "ab\0\0",
            "abc",
        ] {
            assert_eq!(page.find(absent), None, "{absent:?}");
            let rank = page.search(absent).unwrap_err();
            assert_eq!(rank, sorted.partition_point(|n| *n < absent), "{absent:?}");
        }
    }

    #[test]
    fn seeking_from_any_hint_finds_what_seeking_from_the_start_finds() {
        // Pages of 0..=60 names with gaps (some share 8-byte prefixes),
        // sorted queries, one hint per query anywhere in (and past) the
        // page: seek_status must find what seek finds, with the entry's
        // status, and next ranks must never skip a name a later query needs.
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = move |n: u64| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) % n
        };
        for round in 0..400 {
            let size = next(61) as usize;
            let mut names: Vec<String> = (0..size)
                .map(|_| format!("tenant-{:04}", next(200)))
                .collect();
            names.sort();
            names.dedup();
            let statuses = [
                DatabaseStatus::Online,
                DatabaseStatus::Restoring,
                DatabaseStatus::Creating,
            ];
            let page = DatabasePage::new(List::new(
                names
                    .iter()
                    .enumerate()
                    .map(|(k, n)| db(n, statuses[k % 3].clone(), None))
                    .collect(),
            ));
            let mut queries: Vec<String> = (0..next(20))
                .map(|_| format!("tenant-{:04}", next(200)))
                .collect();
            queries.sort();
            queries.dedup();
            let (mut a, mut b) = (0, 0);
            for query in &queries {
                let hint = next(names.len() as u64 + 3) as usize;
                let (next_a, hit_a) = page.seek(a, query);
                let (next_b, hit_b) = page.seek_status(b, hint, query);
                let expected = names.binary_search(query).ok();
                assert_eq!(hit_a.map(|h| h.position), expected, "round {round}");
                assert_eq!(
                    hit_b.map(|(position, _)| position),
                    expected,
                    "round {round}: {query} from {b} hint {hint} in {names:?}"
                );
                if let Some((position, status)) = hit_b {
                    assert_eq!(
                        status,
                        page.indexed(position).and_then(|d| d.status),
                        "round {round}: seek_status"
                    );
                }
                assert!(next_b >= b, "round {round}: went back");
                (a, b) = (next_a, next_b);
            }
        }
    }

    #[test]
    fn changes_keep_the_index_in_step() {
        let mut page = DatabasePage::default();
        for (i, name) in ["b", "d", "f"].into_iter().enumerate() {
            page.insert(i, db(name, DatabaseStatus::Creating, None));
        }
        assert!(page.in_order());
        page.insert(0, db("a", DatabaseStatus::Online, Some("p")));
        page.push(db("g", DatabaseStatus::Online, Some("q")));
        page.update(2, |d| {
            d.properties.as_mut().unwrap().status = Some(DatabaseStatus::Online);
            d.properties.as_mut().unwrap().elastic_pool_id = Some("/x/elasticPools/q".into());
        });
        page.check().unwrap();
        assert!(page.in_order());
        assert_eq!(
            page.find("d").unwrap().elastic_pool_id,
            Some("/x/elasticPools/q")
        );
        // Out of order: the index sorts itself.
        page.replace(1, db("z", DatabaseStatus::Online, None));
        page.check().unwrap();
        assert!(!page.in_order());
        assert_eq!(page.find("z").unwrap().position, 1);
        assert_eq!(page.find("b"), None);
        // A status change on a page out of name order reaches its rank.
        page.update(1, |d| {
            d.properties.as_mut().unwrap().status = Some(DatabaseStatus::Restoring);
        });
        page.check().unwrap();
        let rank = page.search("z").unwrap();
        assert_eq!(
            page.seek_status(rank, rank, "z").1,
            Some((1, Some(&DatabaseStatus::Restoring)))
        );
        page.update(1, |d| d.name = Some("c".into()));
        page.check().unwrap();
        assert!(page.in_order());
        assert_eq!(page.names().collect::<Vec<_>>(), ["a", "c", "d", "f", "g"]);
        assert_eq!(page.remove(0).name.as_deref(), Some("a"));
        page.truncate(2);
        page.check().unwrap();
        assert_eq!(page.names().collect::<Vec<_>>(), ["c", "d"]);
        // Many renames: stale names are dropped, lookups stay right.
        for k in 0..2_000 {
            page.update(k % 2, |d| d.name = Some(format!("n{k:05}-{}", k % 2)));
            page.check().unwrap();
        }
        assert!(page.index.names.len() <= 2 * page.index.live.max(4096));
        assert_eq!(page.find("n01999-1").unwrap().position, 1);
        let taken = page.take_entries();
        assert_eq!(taken.len(), 2);
        assert!(page.value.is_empty());
        page.check().unwrap();
    }

    #[test]
    fn a_corrupt_index_is_caught() {
        let page: DatabasePage = serde_json::from_str(TEXT).unwrap();
        let corrupt = |f: &dyn Fn(&mut Index)| {
            let mut p = page.clone();
            f(&mut p.index);
            p.check().unwrap_err()
        };
        assert_eq!(
            corrupt(&|i| i.slots[1].status = i.slots[0].status).what,
            "status"
        );
        assert_eq!(corrupt(&|i| i.slots[2].pool = NONE).what, "elastic pool");
        assert_eq!(corrupt(&|i| i.slots[0].len = 1).what, "name");
        assert_eq!(corrupt(&|i| i.slots[3].prefix += 1).what, "name");
        assert_eq!(corrupt(&|i| i.ranked[3].prefix += 1).what, "prefix");
        assert_eq!(corrupt(&|i| i.ranked[3].len += 1).what, "prefix");
        assert_eq!(
            corrupt(&|i| i.ranked[0].status = i.ranked[1].status).what,
            "ranked status"
        );
        assert_eq!(corrupt(&|i| i.ranked.truncate(2)).what, "prefix length");
        assert_eq!(corrupt(&|i| i.names.replace_range(0..2, "t9")).what, "name");
        assert_eq!(corrupt(&|i| i.order.swap(0, 4)).what, "name order");
        assert_eq!(
            corrupt(&|i| i.order[0] = i.order[1]).what,
            "order is not a permutation"
        );
        assert_eq!(corrupt(&|i| i.order.clear()).what, "name order");
        assert_eq!(
            corrupt(&|i| {
                i.slots.pop();
            })
            .what,
            "length"
        );
        let result = std::panic::catch_unwind(|| {
            let mut p = page.clone();
            p.index.slots.swap(0, 1);
            p.debug_check();
        });
        assert_eq!(result.is_err(), cfg!(debug_assertions));
    }
}
