//! The codebooks shipped in `codebooks/`, compiled into the binary.

/// Names of the bundled codebooks.
pub const NAMES: &[&str] = &["policy-tools", "planning-quality"];

/// The YAML text of a bundled codebook by name.
pub fn get(name: &str) -> Option<&'static str> {
    match name {
        "policy-tools" => Some(include_str!("../../../../codebooks/policy-tools.yaml")),
        "planning-quality" => Some(include_str!("../../../../codebooks/planning-quality.yaml")),
        _ => None,
    }
}
