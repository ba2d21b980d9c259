//! How the few state fields that postcard cannot write plainly appear in a snapshot: a value
//! as its JSON text, an index that may be absent, a UTC offset as seconds.

/// A value as its JSON text inside a snapshot.
pub(super) mod json_text {
    use serde::{Deserialize, Deserializer, Serialize, Serializer, de::DeserializeOwned};

    pub(in crate::ledger) fn serialize<T: Serialize, S: Serializer>(
        v: &T,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        let text = serde_json::to_string(v).map_err(serde::ser::Error::custom)?;
        s.serialize_str(&text)
    }

    pub(in crate::ledger) fn deserialize<'de, T: DeserializeOwned, D: Deserializer<'de>>(
        d: D,
    ) -> Result<T, D::Error> {
        let text = String::deserialize(d)?;
        serde_json::from_str(&text).map_err(serde::de::Error::custom)
    }
}

/// An index that may be [`NONE`](super::NONE), in a snapshot as one more than itself (`NONE` as 0): one
/// byte instead of five for a record without a team or an activity.
pub(super) mod optional_index {
    use serde::{Deserialize, Deserializer, Serializer};

    pub(in crate::ledger) fn serialize<S: Serializer>(i: &u32, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u32(i.wrapping_add(1))
    }

    pub(in crate::ledger) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
        u32::deserialize(d).map(|i| i.wrapping_sub(1))
    }
}

/// A UTC offset as its seconds east of UTC.
pub(super) mod offset_seconds {
    use chrono::FixedOffset;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(in crate::ledger) fn serialize<S: Serializer>(
        o: &FixedOffset,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.serialize_i32(o.local_minus_utc())
    }

    pub(in crate::ledger) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<FixedOffset, D::Error> {
        let secs = i32::deserialize(d)?;
        FixedOffset::east_opt(secs).ok_or_else(|| serde::de::Error::custom("offset out of range"))
    }
}
