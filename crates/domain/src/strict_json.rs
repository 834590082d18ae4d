//! Reading JSON strictly against a type: the one rule for every body the server accepts and
//! every payload a device pushes. serde's derived readers are lenient in two ways this
//! refuses: a struct is also read from an array of its fields in order (`[null, null]` was
//! read as a decision with no reason), and a field the struct does not declare is ignored.
//! Here a struct is read from a JSON object only, and an object naming a field the struct
//! does not declare is refused (`unknown field`), at every depth. A struct that flattens
//! another (`#[serde(flatten)]`) is read as a map by serde and keeps what it collects.

use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserializer;
use serde_json::{Error, Map, Value};

/// Reads `T` from a JSON value strictly (see the module documentation).
pub fn from_value<T: de::DeserializeOwned>(value: &Value) -> Result<T, Error> {
    T::deserialize(Strict(value))
}

/// A JSON value read strictly: wrap it and hand it to a `Deserialize` (or to
/// `serde_path_to_error`, to learn where a refusal is).
#[derive(Clone, Copy)]
pub struct Strict<'a>(pub &'a Value);

fn unexpected(value: &Value) -> de::Unexpected<'_> {
    match value {
        Value::Null => de::Unexpected::Unit,
        Value::Bool(b) => de::Unexpected::Bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => de::Unexpected::Unsigned(u),
            (_, Some(i), _) => de::Unexpected::Signed(i),
            (_, _, Some(f)) => de::Unexpected::Float(f),
            _ => de::Unexpected::Other("number"),
        },
        Value::String(s) => de::Unexpected::Str(s),
        Value::Array(_) => de::Unexpected::Seq,
        Value::Object(_) => de::Unexpected::Map,
    }
}

impl<'de> Deserializer<'de> for Strict<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(n) => {
                if let Some(u) = n.as_u64() {
                    visitor.visit_u64(u)
                } else if let Some(i) = n.as_i64() {
                    visitor.visit_i64(i)
                } else {
                    self.0.deserialize_any(visitor)
                }
            }
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::Array(items) => visitor.visit_seq(Items(items.iter())),
            Value::Object(map) => visitor.visit_map(Fields::new(map, None)),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.0 {
            Value::Object(map) => visitor.visit_map(Fields::new(map, Some(fields))),
            other => Err(de::Error::invalid_type(unexpected(other), &visitor)),
        }
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Object(map) => visitor.visit_map(Fields::new(map, None)),
            other => Err(de::Error::invalid_type(unexpected(other), &visitor)),
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Array(items) => visitor.visit_seq(Items(items.iter())),
            other => Err(de::Error::invalid_type(unexpected(other), &visitor)),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.0 {
            Value::String(s) => visitor.visit_enum(s.as_str().into_deserializer()),
            // A variant with content, `{"variant": …}`: serde_json's own reading.
            other => other.deserialize_enum(name, variants, visitor),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct tuple tuple_struct identifier
    }
}

struct Items<'a>(std::slice::Iter<'a, Value>);

impl<'de> SeqAccess<'de> for Items<'de> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        self.0
            .next()
            .map(|v| seed.deserialize(Strict(v)))
            .transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

/// An object's fields; for a struct, only the fields it declares.
struct Fields<'a> {
    entries: serde_json::map::Iter<'a>,
    declared: Option<&'static [&'static str]>,
    value: Option<&'a Value>,
}

impl<'a> Fields<'a> {
    fn new(map: &'a Map<String, Value>, declared: Option<&'static [&'static str]>) -> Self {
        Fields {
            entries: map.iter(),
            declared,
            value: None,
        }
    }
}

impl<'de> MapAccess<'de> for Fields<'de> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some((key, value)) = self.entries.next() else {
            return Ok(None);
        };
        if let Some(declared) = self.declared {
            if !declared.contains(&key.as_str()) {
                return Err(de::Error::unknown_field(key, declared));
            }
        }
        self.value = Some(value);
        seed.deserialize(key.as_str().into_deserializer()).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let value = self
            .value
            .take()
            .ok_or_else(|| de::Error::custom("a value was asked for before its key"))?;
        seed.deserialize(Strict(value))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Inner {
        n: i64,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Outer {
        #[serde(default)]
        reason: Option<String>,
        inner: Option<Inner>,
        #[serde(default)]
        items: Vec<Inner>,
        mood: Option<Mood>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "snake_case")]
    enum Mood {
        Calm,
    }

    #[test]
    fn an_object_of_the_right_shape_is_read() {
        let v = json!({"reason": "x", "inner": {"n": -3}, "items": [{"n": 1}], "mood": "calm"});
        let outer: Outer = from_value(&v).unwrap();
        assert_eq!(outer.inner, Some(Inner { n: -3 }));
        assert_eq!(outer.items, vec![Inner { n: 1 }]);
        assert_eq!(outer.mood, Some(Mood::Calm));
        let empty: Outer = from_value(&json!({"inner": null})).unwrap();
        assert_eq!(empty.reason, None);
    }

    #[test]
    fn an_array_is_not_read_as_a_struct_at_any_depth() {
        let err = from_value::<Outer>(&json!([null, null, [], null])).unwrap_err();
        assert!(err.to_string().contains("invalid type: sequence"), "{err}");
        assert!(from_value::<Outer>(&json!({"inner": [1]})).is_err());
        assert!(from_value::<Outer>(&json!(null)).is_err());
    }

    #[test]
    fn an_undeclared_field_is_refused_at_any_depth() {
        let err = from_value::<Outer>(&json!({"inner": null, "extra": 1})).unwrap_err();
        assert!(
            err.to_string().starts_with("unknown field `extra`"),
            "{err}"
        );
        assert!(from_value::<Outer>(&json!({"inner": {"n": 1, "m": 2}})).is_err());
    }

    #[test]
    fn values_and_maps_stay_open() {
        let v = json!({"a": [1, {"b": null}], "c": 1.5});
        assert_eq!(from_value::<Value>(&v).unwrap(), v);
        let map: std::collections::HashMap<String, f64> = from_value(&json!({"x": -1.5})).unwrap();
        assert_eq!(map["x"], -1.5);
    }
}
