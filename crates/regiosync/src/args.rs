//! Values people give on the command line, as the node spells them: a region in any case, a
//! resource type as its code in any case or its Dutch name. What is still wrong after that is
//! passed on unchanged, so the node can say what is wrong with it.
use regiosync_records::codes::list;
use regiosync_records::CodeLists;

/// A region given on the command line, as the node spells it ("vr2" stays wrong: the node says so).
pub fn region_arg(s: &str) -> String {
    s.trim().to_ascii_uppercase()
}

/// A resource type given as its code in any case or its Dutch name; unknown text is passed on
/// unchanged so the node can say what is wrong with it.
pub fn resource_arg(s: &str) -> String {
    let s = s.trim();
    let codes = CodeLists::shipped().latest().codes(list::RESOURCE_TYPES);
    if codes.iter().any(|(c, _)| *c == s) {
        return s.to_string();
    }
    codes
        .iter()
        .find(|(c, code)| c.eq_ignore_ascii_case(s) || code.name.eq_ignore_ascii_case(s))
        .map_or_else(|| s.to_string(), |(c, _)| c.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_types_by_code_or_dutch_name() {
        assert_eq!(resource_arg("TS"), "TS");
        assert_eq!(resource_arg("ts"), "TS");
        assert_eq!(resource_arg(" Tankautospuit "), "TS");
        assert_eq!(resource_arg("wo"), "WO");
        assert_eq!(resource_arg("nope"), "nope");
    }
}
