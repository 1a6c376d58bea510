//! Deterministic generator of research-scale studies for benchmarks (`polcode-benchdata`, a
//! dev-only crate): documents recombined from the real paragraphs of a corpus folder, metadata spread over every
//! region, level, province and year, and decisions of several coders written through the real
//! store format (snapshot + journal tail, as a session leaves them). Also writes the rating
//! matrices behind `polcode agree` for outside tools (Python `krippendorff`).
//!
//! Nothing here is used by a coding session; it exists so that speed claims can be checked.
#![forbid(unsafe_code)]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use polcode_core::codebook::{Codebook, Node};
use polcode_core::corpus::import::{read_document, read_meta_csv, ImportOptions};
use polcode_core::corpus::regions::RegionScheme;
use polcode_core::corpus::{DocMeta, Document, Kind, Level, ParaKind, Paragraph};
use polcode_core::fsutil::hash_hex;
use polcode_core::stats::NodeIndex;
use polcode_core::store::journal::{self, Record};
use polcode_core::store::{snapshot, Codings, Decision, NodeMap, SuggestSource, Via};
use polcode_core::study::{Study, DOCS_DIR};

/// splitmix64: a tiny, well-mixed, seedable generator; the same seed gives the same study.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator started from `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64) < p
    }

    /// Shuffles `v` in place (Fisher–Yates).
    pub fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            v.swap(i, self.below(i + 1));
        }
    }
}

/// What to generate.
#[derive(Debug, Clone)]
pub struct GenOptions {
    pub docs: usize,
    pub decisions: usize,
    pub coders: usize,
    pub seed: u64,
    /// Folder with `docs/*.txt` and `metadata.csv` (the shared corpus).
    pub corpus: PathBuf,
    /// Also write one coder `solo` holding all the decisions into `<out>/solo-codings/`
    /// (outside the study): the worst case for reopening one coder's file.
    pub solo: bool,
}

/// What was generated.
#[derive(Debug, Clone, Default)]
pub struct GenSummary {
    pub docs: usize,
    pub body_paragraphs: usize,
    /// Decisions per coder (snapshot + journal).
    pub per_coder: usize,
    /// Of which in the journal.
    pub journal: usize,
    pub coders: Vec<String>,
}

/// Errors carry the path or the reason; the generator never panics on bad input.
pub type Result<T> = std::result::Result<T, String>;

/// Imports every document of `corpus/docs` with `corpus/metadata.csv`, in file order.
pub fn load_corpus(corpus: &Path) -> Result<Vec<Document>> {
    let docs_dir = corpus.join("docs");
    let mut opts = ImportOptions::default();
    let meta = corpus.join("metadata.csv");
    if meta.exists() {
        opts.meta = Some(read_meta_csv(&meta).map_err(|e| e.to_string())?);
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(&docs_dir)
        .map_err(|e| format!("{}: {e}", docs_dir.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        out.push(read_document(&f, &opts).map_err(|e| e.to_string())?.doc);
    }
    if out.is_empty() {
        return Err(format!("{}: no .txt documents", docs_dir.display()));
    }
    Ok(out)
}

/// Builds `n` documents: each takes the paragraph structure (headings, non-body lines, section
/// paths) of a random source document and fills its body paragraphs with random body
/// paragraphs of the whole corpus; metadata cycles through every level, province and year.
pub fn recombine(
    corpus: &[Document],
    n: usize,
    scheme: &RegionScheme,
    rng: &mut Rng,
) -> Vec<Document> {
    let bodies: Vec<&str> = corpus
        .iter()
        .flat_map(|d| d.paragraphs.iter())
        .filter(|p| p.kind == ParaKind::Body)
        .map(|p| p.text.as_str())
        .collect();
    let provinces: Vec<(&str, &str)> = scheme
        .regions
        .iter()
        .flat_map(|r| r.provinces.iter().map(move |p| (p.as_str(), r.id.as_str())))
        .collect();
    let levels = [
        Level::National,
        Level::Provincial,
        Level::Municipal,
        Level::County,
    ];
    (0..n)
        .map(|i| {
            // Short sources (notices, measures of under 30 paragraphs) are redrawn up to 3 times: a study
            // of policy documents is mostly plans and opinions of dozens of paragraphs.
            let mut src = &corpus[rng.below(corpus.len())];
            for _ in 0..3 {
                if body_count(src) >= 30 {
                    break;
                }
                src = &corpus[rng.below(corpus.len())];
            }
            let level = levels[i % levels.len()];
            let (province, region) = if level == Level::National || provinces.is_empty() {
                ("", "national")
            } else {
                provinces[rng.below(provinces.len())]
            };
            let year = 2010 + rng.below(15);
            let paragraphs: Vec<Paragraph> = src
                .paragraphs
                .iter()
                .map(|p| {
                    let text = if p.kind == ParaKind::Body && !bodies.is_empty() {
                        bodies[rng.below(bodies.len())].to_string()
                    } else {
                        p.text.clone()
                    };
                    Paragraph {
                        n: p.n,
                        kind: p.kind,
                        section: p.section.clone(),
                        hash: hash_hex(text.as_bytes(), 16),
                        text,
                    }
                })
                .collect();
            let mut doc = Document {
                id: format!("b{i:05}_{}", level.as_str()),
                meta: DocMeta {
                    title: format!("{}（基准{i}）", src.meta.title),
                    issuer: src.meta.issuer.clone(),
                    date: format!("{year}-{:02}-{:02}", 1 + rng.below(12), 1 + rng.below(28)),
                    level,
                    province: province.to_string(),
                    region: region.to_string(),
                    kind: if i.is_multiple_of(3) {
                        Kind::Related
                    } else {
                        Kind::Special
                    },
                    topic: src.meta.topic.clone(),
                    source_file: format!("bench/{i:05}.txt"),
                    ..DocMeta::default()
                },
                paragraphs,
            };
            doc.meta.content_hash = hash_hex(doc.text().as_bytes(), 16);
            doc
        })
        .collect()
}

/// `count` decisions per coder on the same body paragraphs (whole documents in a random order,
/// the last one partly): coder 1 picks a leaf (sometimes two, sometimes "no code"), the others
/// agree with coder 1 about 80% of the time. Timestamps rise one minute per decision.
pub fn decisions(
    docs: &[Document],
    cb: &Codebook,
    coders: &[String],
    count: usize,
    rng: &mut Rng,
) -> Result<Vec<Vec<Decision>>> {
    let leaves: Vec<&str> = cb.leaves().map(|i| cb.nodes[i].id.as_str()).collect();
    if leaves.is_empty() {
        return Err("the codebook has no leaf nodes".into());
    }
    let mut order: Vec<usize> = (0..docs.len()).collect();
    rng.shuffle(&mut order);
    let paras: Vec<(String, String)> = order
        .iter()
        .flat_map(|&d| {
            let doc = &docs[d];
            doc.paragraphs
                .iter()
                .filter(|p| p.kind == ParaKind::Body)
                .map(|p| (doc.para_id(p.n), p.hash.clone()))
        })
        .take(count)
        .collect();
    if paras.len() < count {
        return Err(format!(
            "{count} decisions per coder need {count} body paragraphs; {} documents hold {}",
            docs.len(),
            paras.len()
        ));
    }
    let mut out: Vec<Vec<Decision>> = vec![Vec::with_capacity(count); coders.len()];
    for (k, (para, hash)) in paras.into_iter().enumerate() {
        let truth: Vec<&str> = if rng.chance(0.08) {
            Vec::new()
        } else if rng.chance(0.15) {
            vec![
                leaves[rng.below(leaves.len())],
                leaves[rng.below(leaves.len())],
            ]
        } else {
            vec![leaves[rng.below(leaves.len())]]
        };
        for (c, coder) in coders.iter().enumerate() {
            let mut nodes: Vec<String> = if c > 0 && rng.chance(0.2) {
                vec![leaves[rng.below(leaves.len())].to_string()]
            } else {
                truth.iter().map(|s| s.to_string()).collect()
            };
            nodes.dedup();
            let via: NodeMap<Via> = nodes
                .iter()
                .enumerate()
                .map(|(r, n)| {
                    let v = if rng.chance(0.7) {
                        Via::Suggestion {
                            rank: r as u32 + 1,
                            source: SuggestSource::Keyword,
                        }
                    } else {
                        Via::Search
                    };
                    (n.clone(), v)
                })
                .collect();
            let minute = k as u64;
            out[c].push(Decision {
                para: para.clone(),
                hash: hash.clone(),
                no_code: nodes.is_empty(),
                nodes,
                scores: BTreeMap::new(),
                memo: rng.chance(0.02).then(|| "需复核：与上一段重复".to_string()),
                coder: coder.clone(),
                at: format!(
                    "2024-{:02}-{:02}T{:02}:{:02}:00Z",
                    1 + (minute / 40_000) % 12,
                    1 + (minute / 1440) % 28,
                    (minute / 60) % 24,
                    minute % 60
                ),
                via,
                derived: None,
                found: None,
            });
        }
    }
    Ok(out)
}

/// Writes one coder's decisions as a session leaves them: all but the last `journal` in the
/// snapshot `<coder>.yaml` (with its seq), the rest as fsynced journal records after it.
pub fn write_coder(
    codings_dir: &Path,
    coder: &str,
    list: &[Decision],
    journal: usize,
) -> Result<()> {
    std::fs::create_dir_all(codings_dir).map_err(|e| format!("{}: {e}", codings_dir.display()))?;
    let split = list.len().saturating_sub(journal);
    let mut codings = Codings {
        coder: coder.to_string(),
        ..Codings::default()
    };
    for d in &list[..split] {
        codings.apply(d.clone());
    }
    let snap = codings_dir.join(format!("{coder}.yaml"));
    snapshot::write(&snap, &codings, split as u64).map_err(|e| e.to_string())?;
    let jpath = codings_dir.join(format!("{coder}.journal"));
    let mut bytes = Vec::new();
    for (i, d) in list[split..].iter().enumerate() {
        let rec = Record {
            seq: (split + i + 1) as u64,
            d: d.clone(),
        };
        bytes.extend(journal::encode(&rec).map_err(|e| e.to_string())?);
    }
    let mut f = std::fs::File::create(&jpath).map_err(|e| format!("{}: {e}", jpath.display()))?;
    f.write_all(&bytes)
        .and_then(|_| f.sync_all())
        .map_err(|e| format!("{}: {e}", jpath.display()))
}

/// Generates a study in `out` (which must not hold one): `polcode.yaml` with the bundled
/// policy-tools codebook, `documents/`, and `codings/c1..cK`.
pub fn generate(opts: &GenOptions, out: &Path) -> Result<GenSummary> {
    if opts.coders == 0 || opts.docs == 0 {
        return Err("--docs and --coders must be at least 1".into());
    }
    let corpus = load_corpus(&opts.corpus)?;
    let mut study = Study::init(out, Some("bench"), "policy-tools").map_err(|e| e.to_string())?;
    let mut rng = Rng::new(opts.seed);
    let docs = recombine(&corpus, opts.docs, &study.scheme, &mut rng);
    let docs_dir = out.join(DOCS_DIR);
    for d in &docs {
        // Plain writes (not the per-file fsync of a real import): same bytes, much faster.
        let p = docs_dir.join(format!("{}.yaml", d.id));
        let yaml = polcode_core::docfile::to_yaml(d, &p).map_err(|e| e.to_string())?;
        std::fs::write(&p, yaml).map_err(|e| format!("{}: {e}", p.display()))?;
    }
    let coders: Vec<String> = (1..=opts.coders).map(|c| format!("c{c}")).collect();
    let per_coder = opts.decisions / opts.coders;
    let lists = decisions(&docs, &study.codebook, &coders, per_coder, &mut rng)?;
    // A session compacts every 500 records, so at most 499 are ever left in a journal.
    let journal = (per_coder / 10).min(499);
    for (c, list) in coders.iter().zip(&lists) {
        write_coder(&study.codings_dir(), c, list, journal)?;
        study.add_coder(c).map_err(|e| e.to_string())?;
    }
    if opts.solo {
        let solo = ["solo".to_string()];
        let all = decisions(&docs, &study.codebook, &solo, opts.decisions, &mut rng)?;
        write_coder(&out.join("solo-codings"), "solo", &all[0], journal)?;
    }
    Ok(GenSummary {
        docs: docs.len(),
        body_paragraphs: count_bodies(&docs),
        per_coder,
        journal,
        coders,
    })
}

fn body_count(doc: &Document) -> usize {
    doc.paragraphs
        .iter()
        .filter(|p| p.kind == ParaKind::Body)
        .count()
}

fn count_bodies(docs: &[Document]) -> usize {
    docs.iter()
        .flat_map(|d| &d.paragraphs)
        .filter(|p| p.kind == ParaKind::Body)
        .count()
}

/// Writes the 0/1 rating matrices `polcode agree` computes Krippendorff's alpha from, one block
/// per node: `node<TAB>id<TAB>leaf<TAB>polcode's alpha` then one line per coder of `0`, `1` or `.` (missing) per
/// body paragraph — the same rule as [`polcode_core::stats::compare::compare`]: rated 1 when coded at
/// the node or a descendant, 0 when decided without it; missing when the coder has not
/// decided the paragraph. A last
/// line `pooled<TAB>alpha` gives polcode's alpha over all leaf nodes stacked.
pub fn write_ratings(study: &Study, coders: &[Codings], out: &Path) -> Result<()> {
    let nodes = NodeIndex::new(&study.codebook);
    let units: Vec<(usize, &Paragraph)> = polcode_core::corpus::body_units(&study.docs)
        .into_iter()
        .map(|(d, p)| (d, &study.docs[d].paragraphs[p]))
        .collect();
    let closures: Vec<Vec<Option<Vec<usize>>>> = coders
        .iter()
        .map(|c| {
            units
                .iter()
                .map(|(d, p)| {
                    c.get(&study.docs[*d].para_id(p.n))
                        .filter(|dec| dec.is_coded())
                        .map(|dec| nodes.closure(&dec.nodes))
                })
                .collect()
        })
        .collect();
    // polcode's own alphas at full precision, so outside tools can be checked to 6 decimals
    // (the `agree` tables round them for display).
    let refs: Vec<&Codings> = coders.iter().collect();
    let report = polcode_core::stats::compare::compare(&study.codebook, &study.docs, &refs);
    let alpha = |a: &polcode_core::stats::Agreement| {
        a.value().map_or("nan".to_string(), |v| format!("{v:.12}"))
    };
    let mut text = String::new();
    let _ = writeln!(
        text,
        "# coders\t{}",
        coders
            .iter()
            .map(|c| c.coder.as_str())
            .collect::<Vec<_>>()
            .join("\t")
    );
    for n in 0..study.codebook.nodes.len() {
        let leaf = u8::from(study.codebook.is_leaf(n));
        let a = report
            .nodes
            .get(n)
            .map_or("nan".to_string(), |r| alpha(&r.alpha));
        let _ = writeln!(text, "node\t{}\t{leaf}\t{a}", study.codebook.nodes[n].id);
        for row in &closures {
            text.extend(row.iter().map(|s| match s {
                None => '.',
                Some(s) if s.contains(&n) => '1',
                Some(_) => '0',
            }));
            text.push('\n');
        }
    }
    let _ = writeln!(text, "pooled\t{}", alpha(&report.pooled.alpha));
    std::fs::write(out, text).map_err(|e| format!("{}: {e}", out.display()))
}

/// A codebook of `roots` roots with `children` children each whose names are `words` (real
/// Chinese words of the corpus) and whose keywords are the next `kw` words, for picker and
/// suggestion benchmarks at a given size.
pub fn word_codebook(words: &[String], roots: usize, children: usize, kw: usize) -> Codebook {
    let mut it = words.iter().cycle();
    let mut nodes = Vec::new();
    for r in 0..roots {
        let root = nodes.len();
        let name = it.next().cloned().unwrap_or_default();
        nodes.push(Node {
            id: format!("r{r}"),
            name_en: format!("root {r}"),
            name_zh: name,
            keywords: it.by_ref().take(kw).cloned().collect(),
            ..Node::default()
        });
        for c in 0..children {
            let i = nodes.len();
            nodes[root].children.push(i);
            let name = it.next().cloned().unwrap_or_default();
            nodes.push(Node {
                id: format!("r{r}.c{c}"),
                parent: Some(root),
                depth: 1,
                name_en: format!("tool {r}.{c}"),
                name_zh: name,
                keywords: it.by_ref().take(kw).cloned().collect(),
                ..Node::default()
            });
        }
    }
    Codebook {
        name: "bench".into(),
        nodes,
        ..Codebook::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn corpus_dir() -> Option<PathBuf> {
        let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
        p.join("docs").is_dir().then_some(p)
    }

    #[test]
    fn rng_is_deterministic_and_in_range() {
        let (mut a, mut b) = (Rng::new(7), Rng::new(7));
        let xs: Vec<usize> = (0..100).map(|_| a.below(10)).collect();
        let ys: Vec<usize> = (0..100).map(|_| b.below(10)).collect();
        assert_eq!(xs, ys);
        assert!(xs.iter().all(|x| *x < 10));
        assert!(xs.iter().collect::<HashSet<_>>().len() > 5, "values spread");
        assert_ne!(Rng::new(8).next_u64(), Rng::new(7).next_u64());
    }

    #[test]
    #[cfg_attr(
        polcode_no_shared,
        ignore = "needs ../shared (absent when the tests were built; touch build.rs after adding it)"
    )]
    fn generated_study_opens_and_holds_every_decision() {
        let Some(corpus) = corpus_dir() else {
            println!("SKIPPED: ../shared/corpus not found");
            return;
        };
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("s");
        let opts = GenOptions {
            docs: 40,
            decisions: 600,
            coders: 2,
            seed: 3,
            corpus,
            solo: true,
        };
        let sum = generate(&opts, &out).unwrap();
        assert_eq!(sum.per_coder, 300);
        assert_eq!(sum.journal, 30);
        let study = Study::open(&out).unwrap();
        assert_eq!(study.docs.len(), 40);
        let regions: HashSet<&str> = study.docs.iter().map(|d| d.meta.region.as_str()).collect();
        assert!(regions.len() >= 4, "regions spread: {regions:?}");
        let (c1, w) = polcode_core::store::read_codings(&study.codings_dir(), "c1").unwrap();
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(c1.decisions.len(), 300);
        for d in c1.decisions.values() {
            let p = study
                .paragraph(&d.para)
                .expect("decision on a real paragraph");
            assert_eq!(p.para.hash, d.hash);
            assert_eq!(p.para.kind, ParaKind::Body);
        }
        let journal = std::fs::read_to_string(study.codings_dir().join("c1.journal")).unwrap();
        assert_eq!(journal.lines().count(), 30);
        let (solo, _) =
            polcode_core::store::read_codings(&out.join("solo-codings"), "solo").unwrap();
        assert_eq!(solo.decisions.len(), 600);
        // Same seed, same study.
        let out2 = tmp.path().join("t");
        generate(&opts, &out2).unwrap();
        let a = std::fs::read(study.codings_dir().join("c2.yaml")).unwrap();
        let b = std::fs::read(out2.join("codings/c2.yaml")).unwrap();
        assert_eq!(a, b);
    }

    #[test]
    #[cfg_attr(
        polcode_no_shared,
        ignore = "needs ../shared (absent when the tests were built; touch build.rs after adding it)"
    )]
    fn ratings_agree_with_polcode_agree() {
        let Some(corpus) = corpus_dir() else {
            println!("SKIPPED: ../shared/corpus not found");
            return;
        };
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("s");
        let opts = GenOptions {
            docs: 30,
            decisions: 400,
            coders: 2,
            seed: 5,
            corpus,
            solo: false,
        };
        generate(&opts, &out).unwrap();
        let study = Study::open(&out).unwrap();
        let cs: Vec<Codings> = ["c1", "c2"]
            .iter()
            .map(|c| {
                polcode_core::store::read_codings(&study.codings_dir(), c)
                    .unwrap()
                    .0
            })
            .collect();
        let file = tmp.path().join("r.txt");
        write_ratings(&study, &cs, &file).unwrap();
        let text = std::fs::read_to_string(&file).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let refs: Vec<&Codings> = cs.iter().collect();
        let report = polcode_core::stats::compare::compare(&study.codebook, &study.docs, &refs);
        // Node blocks: header + 2 coder rows; alpha from the written rows equals polcode's.
        for (n, row) in report.nodes.iter().enumerate() {
            let block = &lines[1 + n * 3..4 + n * 3];
            assert!(block[0].starts_with(&format!("node\t{}", study.codebook.nodes[n].id)));
            let m: Vec<Vec<Option<f64>>> = block[1..]
                .iter()
                .map(|l| l.chars().map(|c| c.to_digit(2).map(f64::from)).collect())
                .collect();
            let a = polcode_core::stats::agree::krippendorff_alpha(
                &m,
                polcode_core::stats::agree::Metric::Nominal,
            );
            assert_eq!(a.value(), row.alpha.value(), "node {n}");
        }
    }
}
