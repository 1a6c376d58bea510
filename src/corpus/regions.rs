//! Provinces, prefecture-level cities and regions: the default region scheme (National Bureau
//! of Statistics 2011: East 10, Central 6, West 12, Northeast 3, plus National for
//! central-government bodies), a user-replaceable YAML scheme, and detection of the province
//! from an issuer or title with a gazetteer.

use serde::{Deserialize, Serialize};

/// One region of a scheme.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionDef {
    /// Stable id used in metadata and tallies, e.g. `east`.
    pub id: String,
    pub name_en: String,
    pub name_zh: String,
    /// Province short names (`山东`, `北京`); empty for the national region.
    #[serde(default)]
    pub provinces: Vec<String>,
}

/// An ordered list of regions; the order is the column order of tallies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionScheme {
    pub name: String,
    pub regions: Vec<RegionDef>,
}

impl RegionScheme {
    /// The bundled default scheme (NBS 2011 + National).
    pub fn nbs2011() -> RegionScheme {
        todo!("corpus helper")
    }
}
