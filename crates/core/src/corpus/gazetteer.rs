//! The gazetteer of the 31 provincial divisions and 333 prefecture-level divisions of mainland
//! China (bundled `data/gazetteer.yaml`), and detection of where a document comes from — its
//! province, city and government level — from its issuing body or its title.

use std::sync::OnceLock;

use serde::Deserialize;

use super::Level;

/// Where a document was issued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Location {
    /// Province short name (`山东`); empty for central-government bodies.
    pub province: String,
    /// City short name (`济南`); empty above the municipal level.
    pub city: String,
    pub level: Level,
}

/// One province with its prefecture-level cities.
#[derive(Debug, Clone)]
pub(crate) struct ProvinceEntry {
    pub short: String,
    pub full: String,
    pub cities: Vec<CityEntry>,
}

/// One prefecture-level division.
#[derive(Debug, Clone)]
pub(crate) struct CityEntry {
    /// `济南市`, `延边朝鲜族自治州`.
    pub full: String,
    /// `济南`, `延边`.
    pub short: String,
}

#[derive(Deserialize)]
struct RawGazetteer {
    provinces: Vec<RawProvince>,
}

#[derive(Deserialize)]
struct RawProvince {
    short: String,
    full: String,
    cities: Vec<String>,
}

/// All provinces of the bundled gazetteer, in its order.
pub(crate) fn provinces() -> &'static [ProvinceEntry] {
    static DATA: OnceLock<Vec<ProvinceEntry>> = OnceLock::new();
    DATA.get_or_init(|| {
        let raw: RawGazetteer = serde_yaml::from_str(include_str!("data/gazetteer.yaml"))
            .expect("bundled gazetteer.yaml is valid (checked by a unit test)");
        raw.provinces
            .into_iter()
            .map(|p| ProvinceEntry {
                short: p.short,
                full: p.full,
                cities: p.cities.iter().map(|c| city_entry(c)).collect(),
            })
            .collect()
    })
}

fn city_entry(spec: &str) -> CityEntry {
    if let Some((full, short)) = spec.split_once('|') {
        return CityEntry {
            full: full.to_string(),
            short: short.to_string(),
        };
    }
    let short = ["地区", "市", "盟"]
        .iter()
        .find_map(|s| spec.strip_suffix(s))
        .unwrap_or(spec);
    CityEntry {
        full: spec.to_string(),
        short: short.to_string(),
    }
}

/// The short name of a province given by its short or full name (`山东省` → `山东`).
pub(crate) fn province_short(name: &str) -> Option<&'static str> {
    let name = name.trim();
    provinces()
        .iter()
        .find(|p| p.short == name || p.full == name)
        .map(|p| p.short.as_str())
}

/// The province short name and city short name of a city given by its short or full name.
pub(crate) fn city_lookup(name: &str) -> Option<(&'static str, &'static str)> {
    let name = name.trim();
    provinces().iter().find_map(|p| {
        p.cities
            .iter()
            .find(|c| c.full == name || c.short == name)
            .map(|c| (p.short.as_str(), c.short.as_str()))
    })
}

/// Names that mark a central-government body when no province or city is named.
const NATIONAL_PREFIXES: &[&str] = &[
    "国务院",
    "中共中央",
    "中央",
    "全国",
    "国家",
    "中国人民银行",
    "最高人民",
    "海关总署",
    "中国银保监会",
    "中国证监会",
    "中国银监会",
    "审计署",
];
const MINISTRIES: &[&str] = &[
    "外交部",
    "国防部",
    "教育部",
    "科技部",
    "科学技术部",
    "工业和信息化部",
    "工信部",
    "公安部",
    "国家安全部",
    "民政部",
    "司法部",
    "财政部",
    "人力资源和社会保障部",
    "人力资源社会保障部",
    "自然资源部",
    "生态环境部",
    "住房和城乡建设部",
    "住房城乡建设部",
    "交通运输部",
    "水利部",
    "农业农村部",
    "农业部",
    "商务部",
    "文化和旅游部",
    "文化部",
    "退役军人事务部",
    "应急管理部",
    "发展改革委",
    "卫生健康委",
    "国资委",
    "网信办",
    "市场监管总局",
    "税务总局",
    "统计局",
];

/// Detects province, city and level from the issuing body, falling back to the title.
///
/// `山东省人民政府` → provincial 山东; `济南市人民政府` → municipal 济南, 山东; `国务院`,
/// `工业和信息化部`, `国家发展改革委`, `国家数据局` → national with no province. A
/// municipality under the central government (`北京市…`) is provincial. In the title only
/// full names count, or short names at its very start, because titles often mention other
/// places (`关于支持海南全面深化改革…`).
pub(crate) fn detect_location(issuer: &str, title: &str) -> Option<Location> {
    detect_in(issuer, true).or_else(|| detect_in(title, false))
}

fn detect_in(s: &str, short_anywhere: bool) -> Option<Location> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if let Some(loc) = find_place(s, short_anywhere) {
        return Some(loc);
    }
    let national = NATIONAL_PREFIXES.iter().any(|p| s.starts_with(p))
        || MINISTRIES.iter().any(|m| s.contains(m));
    national.then(|| Location {
        province: String::new(),
        city: String::new(),
        level: Level::National,
    })
}

/// The earliest place name in `s` (the longest at equal positions).
fn find_place(s: &str, short_anywhere: bool) -> Option<Location> {
    // (byte position, match length, province index, city index)
    let mut best: Option<(usize, usize, usize, Option<usize>)> = None;
    let mut consider = |pos: usize, len: usize, p: usize, c: Option<usize>| {
        let better = match best {
            None => true,
            Some((bp, bl, _, _)) => pos < bp || (pos == bp && len > bl),
        };
        if better {
            best = Some((pos, len, p, c));
        }
    };
    for (pi, p) in provinces().iter().enumerate() {
        if let Some(pos) = s.find(&p.full) {
            consider(pos, p.full.len(), pi, None);
        }
        let short_pos = if short_anywhere {
            s.find(&p.short)
        } else {
            s.starts_with(&p.short).then_some(0)
        };
        if let Some(pos) = short_pos {
            consider(pos, p.short.len(), pi, None);
        }
        for (ci, c) in p.cities.iter().enumerate() {
            if let Some(pos) = s.find(&c.full) {
                consider(pos, c.full.len(), pi, Some(ci));
            }
            if c.short.chars().count() >= 2
                && province_short(&c.short).is_none()
                && s.starts_with(&c.short)
            {
                consider(0, c.short.len(), pi, Some(ci));
            }
        }
    }
    let (pos, len, pi, mut ci) = best?;
    let prov = &provinces()[pi];
    if ci.is_none() {
        // `山东省济南市人民政府`: a city of the same province right after the province.
        let after = &s[pos + len..];
        ci = prov
            .cities
            .iter()
            .position(|c| after.starts_with(&c.full) || after.starts_with(&c.short));
    }
    let level = if ci.is_some() {
        Level::Municipal
    } else {
        Level::Provincial
    };
    let level = if is_county_body(s) {
        Level::County
    } else {
        level
    };
    Some(Location {
        province: prov.short.clone(),
        city: ci.map(|c| prov.cities[c].short.clone()).unwrap_or_default(),
        level,
    })
}

/// `…县人民政府`, `…区人民政府` (not 自治区), `…县委`.
fn is_county_body(s: &str) -> bool {
    s.contains("县人民政府")
        || s.contains("县委")
        || (s.contains("区人民政府") && !s.contains("自治区人民政府"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loc(issuer: &str, title: &str) -> Option<(String, String, Level)> {
        detect_location(issuer, title).map(|l| (l.province, l.city, l.level))
    }

    #[test]
    fn gazetteer_is_complete() {
        let p = provinces();
        assert_eq!(p.len(), 31);
        assert_eq!(p.iter().map(|p| p.cities.len()).sum::<usize>(), 333);
        assert_eq!(city_lookup("济南市"), Some(("山东", "济南")));
        assert_eq!(city_lookup("延边"), Some(("吉林", "延边")));
        assert_eq!(city_lookup("阿克苏地区"), Some(("新疆", "阿克苏")));
        assert_eq!(province_short("广西壮族自治区"), Some("广西"));
        // Short names must not collide between cities of different provinces.
        let mut shorts: Vec<&str> = p
            .iter()
            .flat_map(|p| p.cities.iter().map(|c| c.short.as_str()))
            .collect();
        shorts.sort();
        let before = shorts.len();
        shorts.dedup();
        assert_eq!(before, shorts.len());
    }

    #[test]
    fn detects_levels() {
        use Level::*;
        let s = String::new;
        assert_eq!(loc("国务院", ""), Some((s(), s(), National)));
        assert_eq!(loc("国务院办公厅", ""), Some((s(), s(), National)));
        assert_eq!(
            loc("国家发展改革委、国家数据局、财政部", ""),
            Some((s(), s(), National))
        );
        assert_eq!(
            loc("工业和信息化部等七部门", ""),
            Some((s(), s(), National))
        );
        assert_eq!(
            loc("山东省人民政府", ""),
            Some(("山东".into(), s(), Provincial))
        );
        assert_eq!(
            loc("济南市人民政府", ""),
            Some(("山东".into(), "济南".into(), Municipal))
        );
        assert_eq!(
            loc("山东省济南市人民政府", ""),
            Some(("山东".into(), "济南".into(), Municipal))
        );
        assert_eq!(
            loc("北京市经济和信息化局", ""),
            Some(("北京".into(), s(), Provincial))
        );
        assert_eq!(
            loc("广西壮族自治区人民政府", ""),
            Some(("广西".into(), s(), Provincial))
        );
        assert_eq!(
            loc("", "安徽省工业互联网创新发展行动计划"),
            Some(("安徽".into(), s(), Provincial))
        );
        assert_eq!(
            loc("", "青岛市人工智能产业园发展若干政策"),
            Some(("山东".into(), "青岛".into(), Municipal))
        );
        assert_eq!(loc("", "关于促进智慧城市健康发展的指导意见"), None);
        assert_eq!(loc("某某协会", ""), None);
    }
}
