//! The catalogues for a web page: the messages of some `.ftl` files as JSON the dashboard's
//! script formats itself (`app.js`, `t(id, args)`), so the page reads the same catalogues a
//! translator edits and needs no Fluent library of its own.
//!
//! A pattern becomes a string when it is plain text, else a list of parts: text,
//! `{"v": "name"}` (an argument), or `{"s": "name", "k": {"one": pattern, ...}, "d": "other"}`
//! (a choice on an argument: the page tries the exact value, then the plural category of a
//! number in the page's language, then the default). References to other messages and terms
//! are written out in place. Other Fluent expressions (functions, attributes) are not used by
//! these files; exporting one is an error the test of this crate reports.
use fluent_syntax::ast::{Entry, Expression, InlineExpression, Pattern, PatternElement, VariantKey};
use serde_json::{json, Map, Value};

use crate::catalog::FILES;
use crate::Lang;

/// Every message of `files` (names as in `locales/<lang>/`) in `lang`, by id.
pub fn messages_json(lang: Lang, files: &[&str]) -> Result<Map<String, Value>, String> {
    let mut entries = std::collections::BTreeMap::new();
    for (l, file, text) in FILES.iter() {
        if *l != lang || !files.contains(file) {
            continue;
        }
        let resource = fluent_syntax::parser::parse(*text)
            .map_err(|(_, e)| format!("locales/{lang}/{file} does not parse: {e:?}"))?;
        for entry in resource.body {
            match entry {
                Entry::Message(m) => {
                    if let Some(value) = m.value {
                        entries.insert(m.id.name.to_string(), value);
                    }
                }
                Entry::Term(t) => {
                    entries.insert(format!("-{}", t.id.name), t.value);
                }
                _ => {}
            }
        }
    }
    let mut out = Map::new();
    for (id, pattern) in entries.iter().filter(|(id, _)| !id.starts_with('-')) {
        let parts = pattern_json(&entries, pattern, 0).map_err(|e| format!("locales/{lang}: {id}: {e}"))?;
        out.insert(id.clone(), parts);
    }
    Ok(out)
}

type Entries<'s> = std::collections::BTreeMap<String, Pattern<&'s str>>;

fn pattern_json(entries: &Entries, pattern: &Pattern<&str>, depth: usize) -> Result<Value, String> {
    if depth > 8 {
        return Err("references nest too deep (a cycle?)".into());
    }
    let mut parts: Vec<Value> = Vec::new();
    for element in &pattern.elements {
        let v = match element {
            PatternElement::TextElement { value } => Value::String(value.to_string()),
            PatternElement::Placeable { expression } => expression_json(entries, expression, depth)?,
        };
        let items = match v {
            Value::Array(inner) => inner,
            other => vec![other],
        };
        for item in items {
            match (parts.last_mut(), item) {
                (Some(Value::String(last)), Value::String(s)) => last.push_str(&s),
                (_, item) => parts.push(item),
            }
        }
    }
    Ok(match parts.as_slice() {
        [] => Value::String(String::new()),
        [Value::String(s)] => Value::String(s.clone()),
        _ => Value::Array(parts),
    })
}

fn expression_json(entries: &Entries, e: &Expression<&str>, depth: usize) -> Result<Value, String> {
    match e {
        Expression::Inline(inline) => inline_json(entries, inline, depth),
        Expression::Select { selector, variants } => {
            let InlineExpression::VariableReference { id } = selector else {
                return Err("a choice must be on an argument ({ $n -> ... })".into());
            };
            let mut keys = Map::new();
            let mut default = String::new();
            for v in variants {
                let key = match &v.key {
                    VariantKey::Identifier { name } => name.to_string(),
                    VariantKey::NumberLiteral { value } => value.to_string(),
                };
                if v.default {
                    default = key.clone();
                }
                keys.insert(key, pattern_json(entries, &v.value, depth + 1)?);
            }
            Ok(json!({"s": id.name, "k": keys, "d": default}))
        }
    }
}

fn inline_json(entries: &Entries, e: &InlineExpression<&str>, depth: usize) -> Result<Value, String> {
    match e {
        InlineExpression::StringLiteral { value } => Ok(Value::String(value.to_string())),
        InlineExpression::NumberLiteral { value } => Ok(Value::String(value.to_string())),
        InlineExpression::VariableReference { id } => Ok(json!({"v": id.name})),
        InlineExpression::MessageReference { id, attribute: None } => refer(entries, id.name, depth),
        InlineExpression::TermReference {
            id,
            attribute: None,
            arguments: None,
        } => refer(entries, &format!("-{}", id.name), depth),
        InlineExpression::Placeable { expression } => expression_json(entries, expression, depth),
        other => Err(format!("{other:?} is not supported in a page's catalogue")),
    }
}

fn refer(entries: &Entries, id: &str, depth: usize) -> Result<Value, String> {
    let pattern = entries.get(id).ok_or_else(|| format!("{id}: no such message"))?;
    pattern_json(entries, pattern, depth + 1)
}
