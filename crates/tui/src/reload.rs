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
use polcode_core::store::{self, CoderStore, Codings, OpenMode, StoreError};
use polcode_core::study::{Study, DOCS_DIR};
use polcode_core::suggest::Engine;

use super::app::{App, Unit};

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

/// The codings a session shows, re-anchored to `docs` (all the study's documents): a session
/// that holds the lock re-anchors its store (written at once); a read-only one re-anchors a
/// copy. Returns the codings and, when anything moved or became an orphan, a line saying so.
pub fn anchored_codings(
    store: &mut CoderStore,
    docs: &[Document],
) -> Result<(Codings, Option<String>), StoreError> {
    let report = if store::is_anchored(store.codings(), docs) {
        None
    } else if store.mode() == OpenMode::ReadWrite {
        Some(store.reanchor(docs)?)
    } else {
        let mut c = store.codings().clone();
        let r = store::reanchor(&mut c, docs);
        let msg = (!r.is_unchanged()).then(|| describe(&r));
        return Ok((c, msg));
    };
    let msg = report.filter(|r| !r.is_unchanged()).map(|r| describe(&r));
    Ok((store.codings().clone(), msg))
}

fn describe(r: &store::AnchorReport) -> String {
    format!(
        "documents changed by a re-import: your decisions follow their text ({})",
        r.summary()
    )
}

/// Reloads the study from disk after [`DocsWatch`] saw a change and rebuilds `app` on it,
/// keeping the coder on the same paragraph text where it still exists. Undo history is
/// dropped: its steps name paragraphs by their old numbers. Returns the message for the
/// status line; on error the app is left as it was.
pub fn reload(app: &mut App, store: &mut CoderStore) -> Result<String, String> {
    let study = Study::open(&app.study.root).map_err(|e| e.to_string())?;
    let (codings, moved) = anchored_codings(store, &study.docs).map_err(|e| e.to_string())?;
    let texts: Vec<&str> = polcode_core::corpus::paragraph_texts(&study.docs).collect();
    let engine = Engine::new(&study.codebook, &texts);
    let here = app.unit().map(|u| {
        let d = &app.study.docs[u.doc];
        (d.id.clone(), d.paragraphs[u.para].hash.clone(), u.para)
    });
    let reconciling: Option<Vec<String>> = app
        .reconcile
        .as_ref()
        .map(|r| r.coders.iter().map(|c| c.coder.clone()).collect());
    let others = match &reconciling {
        Some(names) => {
            let mut v = Vec::new();
            for c in names {
                let (cd, _) = store::read_anchored(&study.codings_dir(), c, &study.docs)
                    .map_err(|e| e.to_string())?;
                v.push(cd);
            }
            Some(v)
        }
        None => None,
    };
    let mut new = App::new(
        Arc::new(study),
        &app.coder,
        codings,
        Arc::new(engine),
        app.keymap.clone(),
        app.read_only,
    );
    if let Some(others) = others {
        new.start_reconcile(others);
    }
    if let Some(sample) = &app.sample {
        new.start_sample(sample.clone());
        new.sample_others = app.sample_others.clone();
    }
    if let Some((doc, hash, para)) = here {
        if let Some(i) = same_text_unit(&new, &doc, &hash, para) {
            new.pos = i;
            new.refresh();
        }
    }
    // The text search goes on over the new text (its hits may have moved or changed).
    if let Some(q) = &app.find {
        new.find = new.build_queue(&q.spec).ok().flatten();
    }
    *app = new;
    Ok(format!(
        "{}; the key you pressed was not applied (read the paragraph again); undo starts afresh",
        moved.unwrap_or_else(|| "documents changed by a re-import: reloaded".to_string())
    ))
}

/// The unit of `app` in document `doc` whose text has `hash`, nearest to paragraph index `para`.
fn same_text_unit(app: &App, doc: &str, hash: &str, para: usize) -> Option<usize> {
    let d = app.study.doc_index(doc)?;
    app.units
        .iter()
        .enumerate()
        .filter(|(_, u)| {
            let Unit { doc: ud, para: up } = **u;
            ud == d && app.study.docs[ud].paragraphs[up].hash == hash
        })
        .min_by_key(|(_, u)| u.para.abs_diff(para))
        .map(|(i, _)| i)
}
