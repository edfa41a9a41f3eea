//! [`DatabaseNames`]: a server's live databases by name, hashed for the
//! look-ups every request makes (a restore looks up its source, checks its
//! name is free and inserts it: a B-tree of a thousand names costs tens of
//! string comparisons each), and put in name order only when a list walks
//! them all (rare: lists follow the server's change log).

use crate::fastmap::FastMap;
use crate::request::{DbId, Name};

/// A server's live databases by name (see the module docs).
#[derive(Default)]
pub(super) struct DatabaseNames {
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
        self.lookup.insert(name, db)
    }

    /// Forgets the name `name`, returning the database that had it.
    pub(super) fn remove(&mut self, name: &str) -> Option<DbId> {
        self.lookup.remove(name)
    }

    /// How many databases.
    pub(super) fn len(&self) -> usize {
        self.lookup.len()
    }

    /// `(name, database)` in name order (byte order of the names): sorted
    /// on each call.
    pub(super) fn iter(&self) -> impl ExactSizeIterator<Item = (&Name, &DbId)> + '_ {
        let mut sorted: Vec<(&Name, &DbId)> = self.lookup.iter().collect();
        sorted.sort_unstable_by(|a, b| a.0.cmp(b.0));
        sorted.into_iter()
    }

    /// The databases in name order.
    pub(super) fn values(&self) -> impl ExactSizeIterator<Item = &DbId> + '_ {
        self.iter().map(|(_, db)| db)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_found_and_listed_in_name_order() {
        let mut names = DatabaseNames::default();
        let name = |s: &str| -> Name { s.into() };
        assert_eq!(names.insert(name("b"), DbId(1)), None);
        assert_eq!(names.insert(name("a"), DbId(2)), None);
        for k in (0..300).rev() {
            names.insert(name(&format!("n{k:03}")), DbId(10 + k));
        }
        let listed: Vec<&str> = names.iter().map(|(n, _)| &**n).collect();
        assert!(listed.is_sorted() && listed.len() == 302, "{listed:?}");
        for k in 0..300 {
            assert_eq!(names.remove(&format!("n{k:03}")), Some(DbId(10 + k)));
        }
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
