//! Keeping an open session on the text its decisions are made on. At start the coder's codings
//! are re-anchored to the documents as they are on disk (persisted when the session holds the
//! lock, in memory when read-only). While the session runs, an import by another process may
//! replace documents: [`DocsWatch`] notices (one `stat` of `documents/` per key), and the loop
//! reloads the study and re-anchors before the key is handled, so no decision is ever recorded,
//! shown or counted against text other than the text the coder read.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use polcode_core::corpus::Document;
use polcode_core::store::{self, CoderStore, StoreError};
use polcode_core::study::{Study, DOCS_DIR};
use polcode_core::suggest::Engine;

use super::app::{App, Unit};
use super::reconcile::Reconcile;
use super::walk::WalkKind;

/// Watches the modification time of the study's `documents/` folder: every document is saved
/// by an atomic rename into it, which changes that time.
#[derive(Debug)]
pub struct DocsWatch {
    dir: PathBuf,
    seen: Option<SystemTime>,
}

impl DocsWatch {
    /// Starts watching `study_root/documents` as it is now.
    pub fn new(study_root: &Path) -> DocsWatch {
        let dir = study_root.join(DOCS_DIR);
        let seen = mtime(&dir);
        DocsWatch { dir, seen }
    }

    /// Whether the folder changed since [`DocsWatch::new`] or the last [`DocsWatch::mark_seen`].
    pub fn changed(&self) -> bool {
        mtime(&self.dir) != self.seen
    }

    /// Takes the current state as seen (after a successful reload).
    pub fn mark_seen(&mut self) {
        self.seen = mtime(&self.dir);
    }
}

fn mtime(dir: &Path) -> Option<SystemTime> {
    std::fs::metadata(dir).and_then(|m| m.modified()).ok()
}

/// Re-anchors the codings `store` holds to `docs` (all the study's documents): a session that
/// holds the lock writes them at once; a read-only store re-anchors them in memory. Returns a
/// line saying so when anything moved or became an orphan.
pub fn reanchor(store: &mut CoderStore, docs: &[Document]) -> Result<Option<String>, StoreError> {
    if store::is_anchored(store.codings(), docs) {
        return Ok(None);
    }
    let report = store.reanchor(docs)?;
    Ok((!report.is_unchanged()).then(|| describe(&report)))
}

fn describe(r: &store::AnchorReport) -> String {
    format!(
        "documents changed by a re-import: your decisions follow their text ({})",
        r.summary()
    )
}

/// Reloads the study from disk after [`DocsWatch`] saw a change and puts `app` on it, keeping
/// the coder on the same paragraph text where it still exists, in the same kind of walk
/// (reconcile, sample) and text search. Undo history is dropped: its steps name paragraphs by
/// their old numbers. Returns the message for the status line. Everything that can fail is
/// read before the app changes; only re-anchoring the store comes after, and when its write
/// fails the session goes on with the decisions re-anchored in memory (the store writes them
/// when it next compacts) and says so.
pub fn reload(app: &mut App) -> Result<String, String> {
    let study = Study::open(&app.study.root).map_err(|e| e.to_string())?;
    let kind = match &app.walk.kind {
        WalkKind::Reconcile(r) => {
            let mut coders = Vec::new();
            for c in r.names() {
                let (cd, _) = store::read_anchored(&study.codings_dir(), &c, &study.docs)
                    .map_err(|e| e.to_string())?;
                coders.push(cd);
            }
            WalkKind::Reconcile(Reconcile { coders })
        }
        other => other.clone(),
    };
    let texts: Vec<&str> = polcode_core::corpus::paragraph_texts(&study.docs).collect();
    let engine = Engine::new(&study.codebook, &texts);
    let here = app.unit().map(|u| {
        let d = &app.study.docs[u.doc];
        (d.id.clone(), d.paragraphs[u.para].hash.clone(), u.para)
    });
    let find = app.find.as_ref().map(|q| q.spec.clone());
    let moved = reanchor(&mut app.session.store, &study.docs);
    app.set_study(Arc::new(study), Arc::new(engine));
    match kind {
        WalkKind::Corpus => {}
        WalkKind::Reconcile(r) => app.start_reconcile(r.coders),
        WalkKind::Sample(s) => app.start_sample(s.sample, s.others),
    }
    if let Some((doc, hash, para)) = here {
        if let Some(i) = same_text_unit(app, &doc, &hash, para) {
            app.cursor.pos = i;
            app.refresh();
        }
    }
    // The text search goes on over the new text (its hits may have moved or changed).
    if let Some(spec) = find {
        app.find = app.build_queue(&spec).ok().flatten();
    }
    let moved = moved.map_err(|e| {
        format!("documents changed by a re-import: reloaded, but re-anchoring your decisions could not be written ({e}); they follow their text in this session")
    })?;
    Ok(format!(
        "{}; the key you pressed was not applied (read the paragraph again); undo starts afresh",
        moved.unwrap_or_else(|| "documents changed by a re-import: reloaded".to_string())
    ))
}

/// The unit of `app` in document `doc` whose text has `hash`, nearest to paragraph index `para`.
fn same_text_unit(app: &App, doc: &str, hash: &str, para: usize) -> Option<usize> {
    let d = app.study.doc_index(doc)?;
    app.walk
        .units
        .iter()
        .enumerate()
        .filter(|(_, u)| {
            let Unit { doc: ud, para: up } = **u;
            ud == d && app.study.docs[ud].paragraphs[up].hash == hash
        })
        .min_by_key(|(_, u)| u.para.abs_diff(para))
        .map(|(i, _)| i)
}
