//! Finding who a sheet means when it does not give ids: a volunteer by identity number (by
//! the keyed hash the register holds, never by name) and an org by its name, unique within
//! the ledger's tree. Both are taken from the ledger once per upload and kept apart from it,
//! so that a sheet's rows can be matched while the ledger adds them.

use super::{Ledger, id_space_full};
use crate::error::Result;
use crate::ids::{Identity, IdentityKind, OrgId, VolunteerId};
use crate::vault::{DocKey, TagKey};
use std::collections::HashMap;
use std::sync::Arc;

/// An identity document as the index keeps it (owned).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum HeldDoc {
    /// A sealed registration's tag.
    Tag(IdentityKind, [u8; 32]),
    /// A version-1 registration's number.
    Clear(IdentityKind, Box<str>),
}

/// The register as a sheet is matched against it: identity documents to volunteers.
pub(crate) struct RegisterIndex {
    tag_key: Option<TagKey>,
    docs: HashMap<HeldDoc, u32>,
    /// Volunteer number and registered name, by index.
    vols: Vec<(Arc<str>, Box<str>)>,
}

/// A volunteer found by their identity document.
pub(crate) struct Registered<'a> {
    /// Their volunteer number.
    pub(crate) id: &'a str,
    /// Their name as registered.
    pub(crate) name: &'a str,
}

impl RegisterIndex {
    /// Whether the ledger can match sealed registrations (it holds the index's key), or has
    /// only version-1 ones.
    pub(crate) fn can_match(&self) -> bool {
        self.tag_key.is_some() || self.docs.keys().all(|d| matches!(d, HeldDoc::Clear(..)))
    }

    /// The volunteer a validated identity document is registered to.
    pub(crate) fn find(&self, id: &Identity) -> Option<Registered<'_>> {
        let by_tag = self
            .tag_key
            .as_ref()
            .map(|k| k.tag(id))
            .and_then(|t| self.docs.get(&HeldDoc::Tag(id.kind(), t)));
        let i = by_tag.or_else(|| {
            self.docs
                .get(&HeldDoc::Clear(id.kind(), id.number().into()))
        })?;
        let (vol, name) = self.vols.get(*i as usize)?;
        Some(Registered { id: vol, name })
    }
}

/// What an org cell names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum OrgLookup {
    /// An org of the tree, by its id or its unique name.
    Found(OrgId),
    /// A name that more than one org of the tree has.
    Ambiguous(usize),
    /// Neither an id nor a name of the tree.
    Unknown,
}

/// The tree's orgs by id and by name.
pub(crate) struct OrgNames {
    ids: HashMap<Box<str>, OrgId>,
    names: HashMap<String, Vec<OrgId>>,
}

impl OrgNames {
    /// The org a cell names: an org's id first, else its name (spaces around it and inside
    /// it ignored); an ambiguous or unknown name is never guessed.
    pub(crate) fn find(&self, text: &str) -> OrgLookup {
        let text = text.trim();
        if let Some(id) = self.ids.get(text) {
            return OrgLookup::Found(id.clone());
        }
        match self.names.get(&name_key(text)).map(Vec::as_slice) {
            Some([one]) => OrgLookup::Found(one.clone()),
            Some(many) if many.len() > 1 => OrgLookup::Ambiguous(many.len()),
            _ => OrgLookup::Unknown,
        }
    }
}

/// An org name as it is compared: without white space.
pub(crate) fn name_key(name: &str) -> String {
    name.chars().filter(|c| !c.is_whitespace()).collect()
}

impl Ledger {
    /// The register, as a sheet's identity numbers are matched against it.
    pub(crate) fn register_index(&self) -> RegisterIndex {
        let vols = &self.state.vols;
        let mut docs = HashMap::with_capacity(vols.len());
        for (i, v) in vols.iter().enumerate() {
            let doc = match v.identity.doc_key() {
                Some(DocKey::Tag(kind, tag)) => HeldDoc::Tag(kind, *tag),
                Some(DocKey::Clear(kind, n)) => HeldDoc::Clear(kind, n.into()),
                None => continue,
            };
            docs.insert(doc, u32::try_from(i).unwrap_or(u32::MAX));
        }
        RegisterIndex {
            tag_key: self.vault.index_tag_key(),
            docs,
            vols: vols
                .iter()
                .map(|v| (Arc::clone(&v.key), v.name.clone()))
                .collect(),
        }
    }

    /// The tree's orgs by id and by name.
    pub(crate) fn org_names(&self) -> OrgNames {
        let mut ids = HashMap::with_capacity(self.state.orgs.len());
        let mut names: HashMap<String, Vec<OrgId>> = HashMap::new();
        for o in &self.state.orgs {
            ids.insert(Box::from(o.org.id.as_str()), o.org.id.clone());
            names
                .entry(name_key(&o.org.name))
                .or_default()
                .push(o.org.id.clone());
        }
        OrgNames { ids, names }
    }

    /// Today's date in the ledger's offset (identity numbers are validated at it).
    pub(crate) fn today(&self) -> chrono::NaiveDate {
        self.clock.now().local_date(self.state.off)
    }
}

/// The rule of made-up numbers: a prefix and eight digits (`V00000001`), the smallest free
/// one from the count of what the ledger holds, plus one.
fn made_up(prefix: &str, n: u64) -> String {
    let mut digits = itoa::Buffer::new();
    let digits = digits.format(n);
    let mut id = String::with_capacity(prefix.len() + digits.len().max(8));
    id.push_str(prefix);
    id.extend(std::iter::repeat_n(
        '0',
        8usize.saturating_sub(digits.len()),
    ));
    id.push_str(digits);
    id
}

impl Ledger {
    /// The key of the identity index, when the ledger holds it.
    pub(crate) fn index_tag_key(&self) -> Option<TagKey> {
        self.vault.index_tag_key()
    }

    /// The volunteer an identity document is registered to: their number and registered name.
    /// `tag`: the document's tag under the ledger's tag key, if it holds one.
    pub(crate) fn holder_of(&self, tag: Option<[u8; 32]>, id: &Identity) -> Option<(&str, &str)> {
        let i = tag
            .and_then(|t| self.state.identity_holder(DocKey::Tag(id.kind(), &t)))
            .or_else(|| {
                self.state
                    .identity_holder(DocKey::Clear(id.kind(), id.number()))
            })?;
        let v = self.state.vol(i)?;
        Some((&v.key, &v.name))
    }

    /// A volunteer number no one holds, by the rule of made-up numbers (`V` and eight digits);
    /// `next` is where to look from, and moves past the number given.
    pub(crate) fn free_volunteer_number(&self, next: &mut u64) -> Result<VolunteerId> {
        *next = (*next).max(self.state.vols.len() as u64 + 1);
        loop {
            let id = made_up("V", *next);
            *next += 1;
            if self.state.vol_ids.get(&id).is_none() {
                return VolunteerId::new(id).map_err(|_| id_space_full("volunteer numbers"));
            }
        }
    }

    /// An org id no org has, by the same rule (`O` and eight digits).
    pub(crate) fn free_org_id(&self, next: &mut u64) -> Result<OrgId> {
        *next = (*next).max(self.state.orgs.len() as u64 + 1);
        loop {
            let id = made_up("O", *next);
            *next += 1;
            let org = OrgId::new(id).map_err(|_| id_space_full("org ids"))?;
            if !self.state.org_index.contains_key(&org) {
                return Ok(org);
            }
        }
    }
}

impl OrgNames {
    /// Takes in an org registered since the names were taken.
    pub(crate) fn insert(&mut self, id: &OrgId, name: &str) {
        self.ids.insert(Box::from(id.as_str()), id.clone());
        self.names
            .entry(name_key(name))
            .or_default()
            .push(id.clone());
    }
}

impl Ledger {
    /// Whether the tree holds this org already: the same id with the same name and parent,
    /// or, without an id, the same name under the same parent.
    pub(crate) fn org_in_tree(
        &self,
        id: Option<&OrgId>,
        name: &str,
        parent: Option<&OrgId>,
    ) -> bool {
        let parent = parent.and_then(|p| self.state.org_index.get(p).copied());
        let same = |o: &super::state::OrgNode| {
            name_key(&o.org.name) == name_key(name)
                && parent.map_or(o.parent == super::NONE, |p| o.parent == p)
        };
        match id {
            Some(id) => self
                .state
                .org_index
                .get(id)
                .and_then(|&i| self.state.orgs.get(i as usize))
                .is_some_and(same),
            None => self.state.orgs.iter().any(same),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn made_up_ids_are_the_prefix_and_eight_digits_or_more() {
        for n in [0, 1, 9, 10, 12_345, 99_999_999, 100_000_000, u64::MAX] {
            assert_eq!(super::made_up("V", n), format!("V{n:08}"));
            assert_eq!(super::made_up("O", n), format!("O{n:08}"));
        }
    }
}
