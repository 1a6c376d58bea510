//! Regions: the default region scheme (National Bureau of Statistics 2011: East 10, Central 6,
//! West 12, Northeast 3, plus National for central-government bodies), bundled as
//! `data/nbs2011.yaml` and replaceable by a user's YAML file of the same shape. Province and
//! city detection lives in `crate::corpus::gazetteer` and is re-exported here.

use serde::{Deserialize, Serialize};

pub(crate) use super::gazetteer::province_short;
use super::Level;

/// Id of the region of central-government bodies in every scheme.
pub(crate) const NATIONAL: &str = "national";

/// The bundled default scheme as YAML, e.g. to write a starting point for a custom scheme.
pub(crate) const NBS2011_YAML: &str = include_str!("data/nbs2011.yaml");

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
    pub(crate) fn nbs2011() -> RegionScheme {
        serde_yaml::from_str(NBS2011_YAML).expect("bundled nbs2011.yaml is valid (unit-tested)")
    }

    /// Parses a scheme from YAML text; provinces may be given by short or full name.
    pub(crate) fn from_yaml(text: &str) -> Result<RegionScheme, serde_yaml::Error> {
        let mut s: RegionScheme = crate::fsutil::yaml_from_str(text)?;
        for r in &mut s.regions {
            for p in &mut r.provinces {
                if let Some(short) = province_short(p) {
                    *p = short.to_string();
                }
            }
        }
        Ok(s)
    }

    /// The region containing `province` (short name like `山东` or full name like `山东省`).
    pub(crate) fn region_of(&self, province: &str) -> Option<&RegionDef> {
        let p = province.trim();
        let short = province_short(p).unwrap_or(p);
        self.regions
            .iter()
            .find(|r| r.provinces.iter().any(|q| q == short || q == p))
    }

    /// The region of a document: the national region for national bodies, else the region of
    /// its province.
    pub(crate) fn region_for(&self, level: Level, province: &str) -> Option<&RegionDef> {
        if level == Level::National && province.trim().is_empty() {
            return self.get(NATIONAL);
        }
        self.region_of(province)
    }

    /// The region with id `id`.
    pub(crate) fn get(&self, id: &str) -> Option<&RegionDef> {
        self.regions.iter().find(|r| r.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nbs2011_has_31_provinces_in_4_regions_plus_national() {
        let s = RegionScheme::nbs2011();
        let ids: Vec<&str> = s.regions.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["national", "east", "central", "west", "northeast"]);
        let counts: Vec<usize> = s.regions.iter().map(|r| r.provinces.len()).collect();
        assert_eq!(counts, [0, 10, 6, 12, 3]);
        // Every gazetteer province is in exactly one region.
        for p in super::super::gazetteer::provinces() {
            let n = s
                .regions
                .iter()
                .filter(|r| r.provinces.contains(&p.short))
                .count();
            assert_eq!(n, 1, "{}", p.short);
        }
    }

    #[test]
    fn region_lookup() {
        let s = RegionScheme::nbs2011();
        assert_eq!(s.region_of("山东").unwrap().id, "east");
        assert_eq!(s.region_of("安徽省").unwrap().id, "central");
        assert_eq!(s.region_of("新疆维吾尔自治区").unwrap().id, "west");
        assert_eq!(s.region_of("黑龙江").unwrap().id, "northeast");
        assert!(s.region_of("火星").is_none());
        assert_eq!(s.region_for(Level::National, "").unwrap().id, NATIONAL);
        assert_eq!(s.region_for(Level::Municipal, "山东").unwrap().id, "east");
    }

    #[test]
    fn user_scheme_accepts_full_names() {
        let yaml = "name: two\nregions:\n  - {id: coast, name_en: Coast, name_zh: 沿海, provinces: [山东省, 广东]}\n  - {id: inland, name_en: Inland, name_zh: 内陆, provinces: [安徽]}\n";
        let s = RegionScheme::from_yaml(yaml).unwrap();
        assert_eq!(s.region_of("山东").unwrap().id, "coast");
        assert_eq!(s.region_of("安徽省").unwrap().id, "inland");
    }
}
