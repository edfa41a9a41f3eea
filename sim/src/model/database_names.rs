//! [`DatabaseNames`]: a server's live databases by name, kept twice: in
//! name order for lists, and hashed for the look-ups every request makes
//! (a restore looks up its source, checks its name is free and inserts it;
//! a B-tree of a thousand names costs tens of string comparisons each).

use std::collections::BTreeMap;

use crate::fastmap::FastMap;
use crate::request::{DbId, Name};

/// A server's live databases by name: one map in name order (what lists
/// walk) and one hashed (look-ups), changed together so they always hold
/// the same entries.
#[derive(Default)]
pub(super) struct DatabaseNames {
    ordered: BTreeMap<Name, DbId>,
    lookup: FastMap<Name, DbId>,
}

impl DatabaseNames {
    /// The database named `name`.
    pub(super) fn get(&self, name: &str) -> Option<&DbId> {
        self.lookup.get(name)
    }

    /// Whether a database is named `name`.
    pub(super) fn contains_key(&self, name: &str) -> bool {
        self.lookup.contains_key(name)
    }

    /// Names `db` `name`, returning the database that had that name.
    pub(super) fn insert(&mut self, name: Name, db: DbId) -> Option<DbId> {
        self.lookup.insert(Name::clone(&name), db);
        self.ordered.insert(name, db)
    }

    /// Forgets the name `name`, returning the database that had it.
    pub(super) fn remove(&mut self, name: &str) -> Option<DbId> {
        self.lookup.remove(name);
        self.ordered.remove(name)
    }

    /// How many databases.
    pub(super) fn len(&self) -> usize {
        self.ordered.len()
    }

    /// `(name, database)` in name order (byte order of the names).
    pub(super) fn iter(&self) -> impl ExactSizeIterator<Item = (&Name, &DbId)> + '_ {
        self.ordered.iter()
    }

    /// The databases in name order.
    pub(super) fn values(&self) -> impl ExactSizeIterator<Item = &DbId> + '_ {
        self.ordered.values()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_maps_hold_the_same_names() {
        let mut names = DatabaseNames::default();
        let name = |s: &str| -> Name { s.into() };
        assert_eq!(names.insert(name("b"), DbId(1)), None);
        assert_eq!(names.insert(name("a"), DbId(2)), None);
        assert_eq!(names.insert(name("b"), DbId(3)), Some(DbId(1)));
        assert_eq!(names.get("b"), Some(&DbId(3)));
        assert!(names.contains_key("a") && !names.contains_key("c"));
        let listed: Vec<(&str, DbId)> = names.iter().map(|(n, &d)| (&**n, d)).collect();
        assert_eq!(listed, [("a", DbId(2)), ("b", DbId(3))]);
        assert_eq!(names.remove("a"), Some(DbId(2)));
        assert_eq!(names.get("a"), None);
        assert!(!names.contains_key("a"));
        assert_eq!(names.len(), 1);
        assert_eq!(names.values().copied().collect::<Vec<_>>(), [DbId(3)]);
    }
}
