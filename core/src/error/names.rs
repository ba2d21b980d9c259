//! Stable names of the core's unit enums, so that every binding parses and prints them the
//! same way (and the same as their serde form); a name that is not one is refused with
//! `E_FIELD`.

/// Implements `as_str`, `parse`, `ALL`, `FromStr` and `Display` for a unit enum from its
/// variants' stable names.
macro_rules! named_enum {
    ($ty:ident, $what:literal, { $($variant:ident => $name:literal),+ $(,)? }) => {
        impl $ty {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$ty] = &[$($ty::$variant),+];

            /// The stable name (as in JSON, vectors and every binding).
            pub fn as_str(self) -> &'static str {
                match self {
                    $($ty::$variant => $name),+
                }
            }

            /// Parses a stable name; refuses anything else with `E_FIELD`, listing the names.
            pub fn parse(s: &str) -> crate::error::Result<Self> {
                match s {
                    $($name => Ok($ty::$variant),)+
                    _ => Err(crate::error::invalid_field(
                        $what,
                        "kind",
                        format!(
                            "'{}' is not one of: {}",
                            s.chars().take(40).collect::<String>(),
                            [$($name),+].join(", ")
                        ),
                    )),
                }
            }
        }

        impl std::str::FromStr for $ty {
            type Err = crate::error::LedgerError;
            fn from_str(s: &str) -> crate::error::Result<Self> {
                Self::parse(s)
            }
        }

        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub(crate) use named_enum;

#[cfg(test)]
mod tests {
    use crate::*;

    fn serde_name<T: serde::Serialize>(t: &T) -> String {
        serde_json::to_value(t)
            .unwrap()
            .as_str()
            .unwrap()
            .to_owned()
    }

    #[test]
    fn names_match_the_serde_form_and_parse_back() {
        macro_rules! check {
            ($($ty:ty),+) => {$(
                for v in <$ty>::ALL {
                    assert_eq!(v.as_str(), serde_name(v));
                    assert_eq!(<$ty>::parse(v.as_str()).unwrap(), *v);
                }
                assert_eq!(<$ty>::parse("nonsense").unwrap_err().code(), "E_FIELD");
            )+};
        }
        check!(
            OrgKind,
            BoardKind,
            RecordSource,
            RecordState,
            IdentityKind,
            ErrorFamily
        );
    }

    #[test]
    fn roles_and_visibility_parse() {
        assert_eq!(
            Role::parse("platform_admin", None).unwrap(),
            Role::PlatformAdmin
        );
        assert_eq!(
            Role::parse("recorder", Some("C1")).unwrap(),
            Role::Recorder("C1".parse().unwrap())
        );
        assert_eq!(
            Role::parse("org_admin", None).unwrap_err().code(),
            "E_FIELD"
        );
        assert_eq!(
            Role::parse("boss", Some("C1")).unwrap_err().code(),
            "E_FIELD"
        );
        assert_eq!(
            BoardVisibility::parse("hidden", None).unwrap(),
            BoardVisibility::Hidden
        );
        assert_eq!(
            BoardVisibility::parse("pseudonym", Some("小蜜蜂")).unwrap(),
            BoardVisibility::Pseudonym {
                name: "小蜜蜂".into()
            }
        );
        assert!(BoardVisibility::parse("pseudonym", None).is_err());
        assert!(BoardVisibility::parse("hidden", Some("x")).is_err());
        assert!(Role::parse("platform_admin", Some("C1")).is_err());
    }
}
