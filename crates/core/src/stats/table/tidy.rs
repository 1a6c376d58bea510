//! Tidy CSV of one or more tables: one row per observation, columns `table, group, <the
//! tables' key columns>, measure, value`. Numbers are plain (no `%`, no padding, full
//! precision); a percentage keeps its 0–100 scale and says so in its measure name (`_pct`).
//! Key values are trimmed (the indentation that shows the node tree on screen is not data).
//! Read it with `read.csv` / `pandas.read_csv` and pivot as needed.

use super::{Cell, Role, Table};

/// `s` as a snake_case name: lower case, anything but letters and digits as one `_`.
pub(crate) fn snake(s: &str) -> String {
    let mut out = String::new();
    for c in s.trim().chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if c == '%' {
            out.push_str(if out.is_empty() { "pct" } else { "_pct" });
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    out.trim_end_matches('_').replace("__", "_")
}

/// A number as tidy data: integers without a decimal point, reals at full precision.
pub(crate) fn number(c: &Cell) -> String {
    match c {
        Cell::Int(i) => i.to_string(),
        Cell::Frac { num, .. } => num.to_string(),
        Cell::Empty | Cell::Text(_) | Cell::Label { .. } | Cell::Joined(_) => c.display(),
        Cell::Num { .. } | Cell::Pct { .. } => {
            c.number().map(|v| v.to_string()).unwrap_or_default()
        }
    }
}

/// The tables as one tidy CSV. Key columns are the union of the tables' keys, in the order
/// first met; a table without one of them leaves it empty. A key column named `group` fills
/// the `group` column (tables whose rows, not columns, are the groups).
pub(crate) fn tidy_csv(tables: &[Table]) -> String {
    // A listing with no measure at all (search hits, one row per hit) is tidy as it stands:
    // melting it would leave the header alone and lose every row.
    let has_measure =
        |t: &Table| (0..t.ncols()).any(|i| matches!(t.column(i).role, Role::Value { .. }));
    if let [t] = tables {
        if !has_measure(t) {
            return t.to_csv();
        }
    }
    let mut keys: Vec<String> = Vec::new();
    for t in tables {
        for i in 0..t.ncols() {
            if let Role::Key(k) = t.column(i).role {
                if k != "group" && !keys.contains(&k) {
                    keys.push(k);
                }
            }
        }
    }
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    let mut head = vec!["table".to_string(), "group".to_string()];
    head.extend(keys.iter().cloned());
    head.push("measure".into());
    head.push("value".into());
    let _ = w.write_record(&head);
    for (n, t) in tables.iter().enumerate() {
        let name = if t.id.is_empty() {
            format!("table{}", n + 1)
        } else {
            t.id.clone()
        };
        let cols: Vec<_> = (0..t.ncols()).map(|i| t.column(i)).collect();
        for r in &t.rows {
            let mut key_vals = vec![String::new(); keys.len()];
            // A key named `group` (word frequency's rows) is the tidy group itself.
            let row_group = cols
                .iter()
                .position(|c| c.role == Role::Key("group".into()))
                .and_then(|i| r.get(i))
                .map(Cell::display);
            for (i, c) in cols.iter().enumerate() {
                if let Role::Key(k) = &c.role {
                    if let Some(pos) = keys.iter().position(|x| x == k) {
                        // Indentation shows a tree on screen; in data the id says where a node is.
                        key_vals[pos] = r
                            .get(i)
                            .map(|c| c.display().trim().to_string())
                            .unwrap_or_default();
                    }
                }
            }
            for (i, c) in cols.iter().enumerate() {
                let Role::Value { group, measure } = &c.role else {
                    continue;
                };
                let cell = r.get(i).unwrap_or(&Cell::Empty);
                let mut put = |measure: &str, value: String| {
                    let g = group.clone().or_else(|| row_group.clone());
                    let mut rec = vec![name.clone(), g.unwrap_or_default()];
                    rec.extend(key_vals.iter().cloned());
                    rec.push(measure.to_string());
                    rec.push(value);
                    let _ = w.write_record(&rec);
                };
                put(measure, number(cell));
                if let Cell::Frac { den, .. } = cell {
                    put(&format!("{measure}_of"), den.to_string());
                }
            }
        }
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::super::Column;
    use super::*;

    #[test]
    fn a_listing_without_measures_keeps_its_rows() {
        let mut t = Table::new("hits", vec!["document".into(), "hit".into()]);
        t.rows.push(vec![Cell::text("03"), Cell::text("区块链")]);
        assert_eq!(tidy_csv(&[t]), "document,hit\n03,区块链\n");
    }

    #[test]
    fn one_row_per_observation() {
        let mut t = Table::with_columns(
            "tally",
            "Tally",
            vec![
                ("id".into(), Column::key("node_id")),
                ("node".into(), Column::label("node")),
                ("东部 docs".into(), Column::value(Some("东部"), "docs")),
                (
                    "东部 coverage".into(),
                    Column::value(Some("东部"), "coverage_pct"),
                ),
                ("coded".into(), Column::value(None, "coded")),
            ],
        );
        t.rows.push(vec![
            Cell::text("supply"),
            Cell::label("  供给型 Supply", "供给型"),
            Cell::Int(3),
            Cell::pct(Some(100.0 / 3.0), 2),
            Cell::Frac { num: 4, den: 9 },
        ]);
        t.rows.push(vec![
            Cell::text("demand"),
            Cell::text("需求型"),
            Cell::Int(0),
            Cell::Empty,
            Cell::Frac { num: 0, den: 0 },
        ]);
        let csv = tidy_csv(&[t]);
        assert_eq!(
            csv,
            "table,group,node_id,node,measure,value\n\
             tally,东部,supply,供给型 Supply,docs,3\n\
             tally,东部,supply,供给型 Supply,coverage_pct,33.333333333333336\n\
             tally,,supply,供给型 Supply,coded,4\n\
             tally,,supply,供给型 Supply,coded_of,9\n\
             tally,东部,demand,需求型,docs,0\n\
             tally,东部,demand,需求型,coverage_pct,\n\
             tally,,demand,需求型,coded,0\n\
             tally,,demand,需求型,coded_of,0\n"
        );
        assert_eq!(snake("weighted %"), "weighted_pct");
        assert_eq!(snake("Cohen κ"), "cohen_κ");
        assert_eq!(snake("  top-1 "), "top_1");
    }
}
