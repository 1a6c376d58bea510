//! The shipped codebooks: they load, carry exactly the required ids and rich keyword lists,
//! and their keywords reach the real policy documents of `../shared/corpus`.

use std::path::{Path, PathBuf};

use polcode_core::codebook::{self, bundled, Codebook};

const POLICY_TOOL_IDS: &[&str] = &[
    "supply",
    "supply.public-infrastructure",
    "supply.technology-infrastructure",
    "supply.human-resources",
    "supply.information-support",
    "supply.capital-investment",
    "environment",
    "environment.regulation",
    "environment.goal-planning",
    "environment.strategic-measures",
    "environment.financial-support",
    "environment.tax-incentives",
    "environment.public-opinion",
    "demand",
    "demand.international-cooperation",
    "demand.multi-entity-cooperation",
    "demand.application-scenarios",
    "demand.industry-chain",
];

const PLANNING_IDS: &[&str] = &[
    "goals",
    "tasks",
    "tasks.technology",
    "tasks.technology.key-technologies",
    "tasks.technology.innovation-platforms",
    "tasks.industry",
    "tasks.industry.application-scenarios",
    "tasks.industry.enterprise-cultivation",
    "tasks.industry.industrial-clustering",
    "tasks.industry.ecosystem",
    "tasks.environment",
    "tasks.environment.talent",
    "tasks.environment.governance",
];

fn bundled_book(name: &str) -> Codebook {
    let text = bundled::get(name).expect("bundled codebook");
    codebook::load_str(text, name).unwrap_or_else(|e| panic!("{e}"))
}

/// A space between two Chinese characters means a folded YAML line broke a Chinese phrase.
fn assert_no_broken_phrases(cb: &Codebook) {
    for n in &cb.nodes {
        for text in [&n.definition, &n.include, &n.exclude]
            .into_iter()
            .chain(&n.examples)
        {
            let chars: Vec<char> = text.chars().collect();
            let broken = chars
                .windows(3)
                .any(|w| has_han(&w[0].to_string()) && w[1] == ' ' && has_han(&w[2].to_string()));
            assert!(!broken, "{}: {text:?}", n.id);
        }
    }
}

fn ids(cb: &Codebook) -> Vec<&str> {
    cb.nodes.iter().map(|n| n.id.as_str()).collect()
}

fn has_han(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[test]
fn every_bundled_codebook_loads_and_checks_clean() {
    for name in bundled::NAMES {
        let cb = bundled_book(name);
        assert_eq!(cb.name, *name);
        assert_no_broken_phrases(&cb);
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("codebooks/{name}.yaml"));
        assert_eq!(codebook::load_file(&path).unwrap(), cb);
        assert!(codebook::check_file(&path).is_empty());
    }
    assert!(bundled::get("no-such-book").is_none());
}

#[test]
fn policy_tools_has_exactly_the_required_nodes() {
    let cb = bundled_book("policy-tools");
    assert_eq!(ids(&cb), POLICY_TOOL_IDS);
    let roots: Vec<&str> = cb.roots().map(|i| cb.nodes[i].id.as_str()).collect();
    assert_eq!(roots, ["supply", "environment", "demand"]);
    for root in cb.roots() {
        let node = &cb.nodes[root];
        assert!(node.color.is_some(), "{} has no colour", node.id);
        assert!(has_han(&node.definition), "{}", node.id);
    }
    for leaf in cb.leaves() {
        let n = &cb.nodes[leaf];
        assert_eq!(n.depth, 1);
        assert!(
            (15..=45).contains(&n.keywords.len()),
            "{}: {} keywords",
            n.id,
            n.keywords.len()
        );
        let chinese = n.keywords.iter().filter(|k| has_han(k)).count();
        assert!(chinese >= 15, "{}: {chinese} Chinese keywords", n.id);
        assert!(
            n.keywords.iter().any(|k| k.is_ascii()),
            "{}: no English",
            n.id
        );
        assert!(has_han(&n.name_zh) && !n.name_en.is_empty(), "{}", n.id);
        assert!(!n.definition.is_empty() && !n.include.is_empty() && !n.exclude.is_empty());
        assert!((1..=2).contains(&n.examples.len()), "{}", n.id);
        assert!(n.examples.iter().all(|e| has_han(e)), "{}", n.id);
    }
}

#[test]
fn planning_quality_has_the_rubric_scales() {
    let cb = bundled_book("planning-quality");
    assert_eq!(ids(&cb), PLANNING_IDS);
    let goals = cb.get("goals").unwrap().scale.as_ref().unwrap();
    assert_eq!(goals.range(), (0, 4));
    assert_eq!(goals.levels.len(), 5);
    let subtasks: Vec<usize> = cb.leaves().filter(|&i| cb.nodes[i].id != "goals").collect();
    assert_eq!(subtasks.len(), 8);
    for i in subtasks {
        let n = &cb.nodes[i];
        let scale = n
            .scale
            .as_ref()
            .unwrap_or_else(|| panic!("{} has no scale", n.id));
        assert_eq!(scale.range(), (1, 4), "{}", n.id);
        assert_eq!(scale.levels.len(), 4, "{}", n.id);
        assert!(scale.levels.iter().all(|l| has_han(&l.description)));
        assert!(n.keywords.len() >= 15, "{}", n.id);
    }
    // Parents are scored as the mean of their children, never directly.
    for id in [
        "tasks",
        "tasks.technology",
        "tasks.industry",
        "tasks.environment",
    ] {
        assert!(cb.get(id).unwrap().scale.is_none(), "{id}");
    }
    assert!(cb.description.contains("arithmetic mean"));
}

#[test]
fn show_renders_every_node() {
    let cb = bundled_book("policy-tools");
    let text = codebook::render_tree(&cb, true);
    for node in &cb.nodes {
        assert!(text.contains(&node.id), "{}", node.id);
    }
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with("supply.human-resources "))
        .unwrap();
    assert!(line.contains("人才培养/人才支持"), "{line}");
    let n = cb.get("supply.human-resources").unwrap();
    assert!(
        line.ends_with(&format!("{} keywords", n.keywords.len())),
        "{line}"
    );
    assert!(!text.contains('\u{1b}'));
}

fn corpus_docs() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/docs");
    dir.is_dir().then_some(dir)
}

#[test]
#[cfg_attr(
    polcode_no_shared,
    ignore = "needs ../shared (absent when the tests were built; touch build.rs after adding it)"
)]
fn policy_tool_keywords_reach_the_real_corpus() {
    let Some(dir) = corpus_docs() else {
        println!("skipped: ../shared/corpus is absent");
        return;
    };
    let cb = bundled_book("policy-tools");
    let leaves: Vec<usize> = cb.leaves().collect();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    assert!(files.len() >= 40, "corpus has {} files", files.len());

    let (mut lines, mut covered) = (0usize, 0usize);
    let mut per_node = vec![0usize; cb.nodes.len()];
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for line in text.lines().map(str::trim) {
            if line.chars().count() < 30 {
                continue;
            }
            lines += 1;
            let lower = line.to_lowercase();
            let mut any = false;
            for &i in &leaves {
                let hit = cb.nodes[i]
                    .keywords
                    .iter()
                    .any(|k| lower.contains(&k.to_lowercase()));
                if hit {
                    per_node[i] += 1;
                    any = true;
                }
            }
            covered += usize::from(any);
        }
    }
    let share = covered as f64 / lines as f64;
    println!(
        "policy-tools keywords: {covered} of {lines} body-ish lines (>= 30 chars) hit ({:.1}%)",
        share * 100.0
    );
    for &i in &leaves {
        println!("  {:<36} {:>5} lines", cb.nodes[i].id, per_node[i]);
        assert!(
            per_node[i] > 0,
            "{} never matches the corpus",
            cb.nodes[i].id
        );
    }
    assert!(share >= 0.70, "coverage {:.1}% is below 70%", share * 100.0);
}
