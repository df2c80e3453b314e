//! The one way option names become enums.
//!
//! Every choice a user makes by name (a method, a model, an inspection level,
//! ...) is an enum declared with [`named_options!`]. The macro gives each enum
//! the same surface: `ALL` (every value, in order), `NAMES` (the canonical
//! names, in the same order), `name()`, [`std::str::FromStr`] returning
//! [`crate::Error::UnknownOption`] (naming the argument and listing the allowed
//! names) and [`std::fmt::Display`] (the canonical name).
//!
//! Parsing is forgiving in the ways users type: ASCII case is ignored and `-`,
//! `_` and a space are the same character, so `"Clopper-Pearson"`,
//! `"clopper_pearson"` and `"CLOPPER PEARSON"` are one name. Aliases are
//! listed after the canonical name with `|`.

/// True when `given` spells `name`, ignoring ASCII case and treating `-`, `_`
/// and a space as the same character.
pub fn same_name(given: &str, name: &str) -> bool {
    fn fold(c: u8) -> u8 {
        match c {
            b'-' | b' ' => b'_',
            c => c.to_ascii_lowercase(),
        }
    }
    given.len() == name.len()
        && given
            .bytes()
            .zip(name.bytes())
            .all(|(a, b)| fold(a) == fold(b))
}

/// Declares an option enum parsed from user-typed names (see the module docs).
///
/// ```ignore
/// named_options! {
///     /// Severity of inspection.
///     pub enum Inspection for "inspection" {
///         /// Normal inspection.
///         Normal = "normal",
///         /// Tightened inspection.
///         Tightened = "tightened" | "tight",
///     }
/// }
/// ```
macro_rules! named_options {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident for $argument:literal {
            $(
                $(#[$vmeta:meta])*
                $variant:ident = $canonical:literal $(| $alias:literal)*
            ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        $vis enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The canonical names, in the order of [`Self::ALL`].
            pub const NAMES: &'static [&'static str] = &[$($canonical),+];

            /// The canonical name, as the API and the error messages spell it.
            pub fn name(self) -> &'static str {
                match self {
                    $($name::$variant => $canonical),+
                }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::error::Error;

            /// Parses a name (case-insensitive; `-`, `_` and space alike; aliases accepted).
            ///
            /// # Errors
            /// [`crate::Error::UnknownOption`] naming the argument and listing the allowed names.
            fn from_str(s: &str) -> $crate::error::Result<Self> {
                $(
                    if $crate::options::same_name(s, $canonical)
                        $(|| $crate::options::same_name(s, $alias))*
                    {
                        return Ok($name::$variant);
                    }
                )+
                Err($crate::error::Error::unknown($argument, s, Self::NAMES))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.pad(self.name())
            }
        }

        /// Serialized as its canonical name (`"normal"`), read back through
        /// [`FromStr`](::std::str::FromStr) (so aliases are accepted too).
        #[cfg(feature = "serde")]
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.name())
            }
        }

        #[cfg(feature = "serde")]
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                let s = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(d)?;
                s.parse().map_err(::serde::de::Error::custom)
            }
        }
    };
}

pub(crate) use named_options;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;

    named_options! {
        /// A test option.
        enum Colour for "colour" {
            /// Red.
            Red = "red",
            /// Light blue.
            LightBlue = "light_blue" | "sky",
        }
    }

    #[test]
    fn names_fold_case_and_separators() {
        assert!(same_name("Two-Sided", "two_sided"));
        assert!(same_name("TWO SIDED", "two-sided"));
        assert!(!same_name("two", "two_sided"));
        assert_eq!("LIGHT-BLUE".parse::<Colour>(), Ok(Colour::LightBlue));
        assert_eq!("Sky".parse::<Colour>(), Ok(Colour::LightBlue));
        assert_eq!(Colour::Red.to_string(), "red");
        assert_eq!(Colour::NAMES, &["red", "light_blue"]);
        assert_eq!(Colour::ALL, &[Colour::Red, Colour::LightBlue]);
    }

    #[test]
    fn unknown_names_list_the_allowed_ones() {
        let err = "green".parse::<Colour>().unwrap_err();
        assert!(matches!(err, Error::UnknownOption { .. }));
        assert_eq!(
            err.to_string(),
            "colour = \"green\" is not recognised: expected one of \"red\", \"light_blue\""
        );
    }
}
