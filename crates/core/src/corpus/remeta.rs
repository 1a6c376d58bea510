//! Metadata of a re-imported document (issue 14): a value the user gave explicitly — in a
//! metadata CSV or by an import flag, now or at an earlier import — is never replaced by one
//! derived from the text; every other value is derived again from the new metadata, flags and
//! text, exactly as a fresh import with the same inputs would derive it. The changes are
//! reported field by field.

use super::regions::RegionScheme;
use super::{DocMeta, Kind, Level};

/// The metadata fields, by the names `DocMeta::given` records; also the metadata CSV's columns,
/// which `meta::parse_meta_csv` reads by position in this order.
pub(crate) const FIELDS: [&str; 10] = [
    "title",
    "issuer",
    "doc_number",
    "date",
    "level",
    "province",
    "city",
    "region",
    "kind",
    "topic",
];

fn value(m: &DocMeta, field: &str) -> String {
    match field {
        "title" => m.title.clone(),
        "issuer" => m.issuer.clone(),
        "doc_number" => m.doc_number.clone(),
        "date" => m.date.clone(),
        "level" => m.level.as_str().to_string(),
        "province" => m.province.clone(),
        "city" => m.city.clone(),
        "region" => m.region.clone(),
        "kind" => m.kind.as_str().to_string(),
        "topic" => m.topic.clone(),
        _ => String::new(),
    }
}

fn set(m: &mut DocMeta, field: &str, from: &DocMeta) {
    match field {
        "title" => m.title = from.title.clone(),
        "issuer" => m.issuer = from.issuer.clone(),
        "doc_number" => m.doc_number = from.doc_number.clone(),
        "date" => m.date = from.date.clone(),
        "level" => m.level = from.level,
        "province" => m.province = from.province.clone(),
        "city" => m.city = from.city.clone(),
        "region" => m.region = from.region.clone(),
        "kind" => m.kind = from.kind,
        "topic" => m.topic = from.topic.clone(),
        _ => {}
    }
}

fn is_known(m: &DocMeta, field: &str) -> bool {
    match field {
        "level" => m.level != Level::Unknown,
        "kind" => m.kind != Kind::Unknown,
        f => !value(m, f).is_empty(),
    }
}

/// Whether `field` of `m` was given by the user. Files written before polcode recorded this
/// count every known value as given, so a re-import never loses what an earlier CSV said.
fn was_given(m: &DocMeta, field: &str) -> bool {
    match &m.given {
        Some(g) => g.iter().any(|f| f == field),
        None => is_known(m, field),
    }
}

/// The metadata to store for a re-import of a document whose stored metadata is `old` and
/// whose fresh import gave `new`, with one line per changed field (`region: unknown → east`).
pub(crate) fn merge(old: &DocMeta, new: DocMeta, scheme: &RegionScheme) -> (DocMeta, Vec<String>) {
    let mut out = new.clone();
    let mut given = Vec::new();
    for f in FIELDS {
        let now = new.given.as_ref().is_some_and(|g| g.iter().any(|x| x == f));
        if now {
            given.push(f.to_string());
        } else if was_given(old, f) {
            set(&mut out, f, old);
            given.push(f.to_string());
        }
    }
    // A city and level derived for another province than the one kept (given earlier) do
    // not belong to it.
    if out.province != new.province {
        let given_now = |f: &str| given.iter().any(|g| g == f);
        if !given_now("city") {
            out.city = String::new();
        }
        if !given_now("level") {
            out.level = if out.province.is_empty() {
                Level::Unknown
            } else {
                Level::Provincial
            };
        }
    }
    // A region nobody gave follows the level and province kept or derived above, as in a
    // fresh import.
    if !given.iter().any(|f| f == "region") {
        out.region = scheme
            .region_for(out.level, &out.province)
            .map(|r| r.id.clone())
            .unwrap_or_default();
    }
    out.given = Some(given);
    let shown = |m: &DocMeta, f: &str| match value(m, f) {
        v if v.is_empty() => "—".to_string(),
        v => v,
    };
    let changes = FIELDS
        .iter()
        .filter(|f| value(old, f) != value(&out, f))
        .map(|f| format!("{f}: {} → {}", shown(old, f), shown(&out, f)))
        .collect();
    (out, changes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(given: Option<&[&str]>) -> DocMeta {
        DocMeta {
            title: "上海市公共数据开放暂行办法".into(),
            given: given.map(|g| g.iter().map(|s| s.to_string()).collect()),
            ..DocMeta::default()
        }
    }

    #[test]
    fn derived_values_follow_the_new_inputs_and_given_ones_stay() {
        let scheme = RegionScheme::nbs2011();
        // Imported without metadata: nothing known, nothing given.
        let old = meta(Some(&[]));
        // Re-imported with --issuer: the fresh import derived Shanghai from it.
        let new = DocMeta {
            issuer: "上海市人民政府".into(),
            level: Level::Provincial,
            province: "上海".into(),
            region: "east".into(),
            given: Some(vec!["issuer".into()]),
            ..meta(None)
        };
        let (m, changes) = merge(&old, new, &scheme);
        assert_eq!(
            (m.level, m.province.as_str(), m.region.as_str()),
            (Level::Provincial, "上海", "east")
        );
        assert_eq!(m.given, Some(vec!["issuer".to_string()]));
        assert!(
            changes.contains(&"region: — → east".to_string()),
            "{changes:?}"
        );
        assert!(changes.contains(&"level: unknown → provincial".to_string()));

        // A province given in an earlier CSV is kept over a derived one; the region follows.
        let old = DocMeta {
            province: "江苏".into(),
            level: Level::Provincial,
            region: "east".into(),
            ..meta(Some(&["province", "level"]))
        };
        let new = DocMeta {
            province: "上海".into(),
            level: Level::Provincial,
            region: "east".into(),
            given: Some(vec![]),
            ..meta(None)
        };
        let (m, _) = merge(&old, new, &scheme);
        assert_eq!(m.province, "江苏");

        // A city and level derived for another province do not stick to the one kept.
        let old = DocMeta {
            province: "浙江".into(),
            ..meta(Some(&["province"]))
        };
        let new = DocMeta {
            province: "江苏".into(),
            city: "南京".into(),
            level: Level::Municipal,
            given: Some(vec![]),
            ..meta(None)
        };
        let (m, _) = merge(&old, new, &scheme);
        assert_eq!(
            (
                m.province.as_str(),
                m.city.as_str(),
                m.level,
                m.region.as_str()
            ),
            ("浙江", "", Level::Provincial, "east")
        );

        // A file from before `given` was recorded: known values count as given.
        let old = DocMeta {
            date: "2020-01-02".into(),
            ..meta(None)
        };
        let new = DocMeta {
            date: "2021-03-05".into(),
            given: Some(vec![]),
            ..meta(None)
        };
        let (m, changes) = merge(&old, new, &scheme);
        assert_eq!(m.date, "2020-01-02");
        assert!(changes.is_empty(), "{changes:?}");
    }
}
