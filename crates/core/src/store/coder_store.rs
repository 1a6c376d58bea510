//! One coder's codings opened for a session: snapshot + journal replay, lock, durable record,
//! compaction; and the lock-free read used by statistics and exports.

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};

use thiserror::Error;

use super::anchor::{self, AnchorReport};
use super::journal::{self, Record};
use super::lock::CoderLock;
use super::snapshot;
use super::{Codings, Decision};
use crate::corpus::Document;
use crate::fsutil::now_rfc3339;

/// Records between two automatic compactions, unless changed with
/// [`CoderStore::set_compact_every`] or the [`COMPACT_EVERY_ENV`] environment variable.
pub(crate) const DEFAULT_COMPACT_EVERY: usize = 500;

/// Environment variable that overrides [`DEFAULT_COMPACT_EVERY`] for every store a process
/// opens (a positive number). Meant for tests and torture runs that need compaction to happen
/// often; an invalid value is ignored with a warning.
pub(crate) const COMPACT_EVERY_ENV: &str = "POLCODE_COMPACT_EVERY";

/// The compaction interval from [`COMPACT_EVERY_ENV`], or the default; a warning when the
/// variable is set but unusable.
fn compact_every_from_env() -> (usize, Option<String>) {
    match std::env::var(COMPACT_EVERY_ENV) {
        Err(std::env::VarError::NotPresent) => (DEFAULT_COMPACT_EVERY, None),
        Ok(v) => match v.trim().parse::<usize>() {
            Ok(n) if n > 0 => (n, None),
            _ => (
                DEFAULT_COMPACT_EVERY,
                Some(format!(
                    "{COMPACT_EVERY_ENV}={v:?} is not a positive number; compacting every \
                     {DEFAULT_COMPACT_EVERY} decisions"
                )),
            ),
        },
        Err(e) => (
            DEFAULT_COMPACT_EVERY,
            Some(format!(
                "{COMPACT_EVERY_ENV}: {e}; compacting every {DEFAULT_COMPACT_EVERY} decisions"
            )),
        ),
    }
}

/// Removes temporary snapshot files (`.<coder>.yaml.tmp-<pid>`) left by a session killed in the
/// middle of an atomic replace. Only called with the lock held: every writer of the snapshot
/// holds it, so no such file can belong to a live write. Best effort: clutter, not data.
fn remove_stale_temp_files(codings_dir: &Path, coder: &str) {
    let prefix = format!(".{coder}.yaml.tmp-");
    let Ok(rd) = std::fs::read_dir(codings_dir) else {
        return;
    };
    for e in rd.flatten() {
        let name = e.file_name();
        let Some(name) = name.to_str() else { continue };
        let is_stale = name
            .strip_prefix(&prefix)
            .is_some_and(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()));
        if is_stale && e.file_type().is_ok_and(|t| t.is_file()) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// How to open a coder's codings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenMode {
    /// Take the lock; decisions can be recorded.
    ReadWrite,
    /// No lock; recording is refused.
    ReadOnly,
}

/// Errors of the codings store; messages name the file (and line where there is one).
#[derive(Debug, Error)]
pub enum StoreError {
    /// The coder name cannot be used as a file name.
    #[error("invalid coder name {name:?}: {reason}")]
    InvalidCoder { name: String, reason: String },
    /// Reading or preparing a file failed.
    #[error("{path}: {cause}")]
    Io {
        path: PathBuf,
        cause: std::io::Error,
    },
    /// A decision could not be made durable; it was not applied and nothing earlier was lost.
    #[error("{path}: decision not saved: {cause}")]
    WriteFailed {
        path: PathBuf,
        cause: std::io::Error,
    },
    /// A snapshot or journal that cannot be read; the file was left untouched.
    #[error("{path}:{line}:{column}: {message}")]
    Parse {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    /// A snapshot that parses but makes no sense (wrong coder, format, duplicate paragraph).
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
    /// Another session holds this coder's lock.
    #[error(
        "{path} is held by another session ({holder}); close that session first, or open \
         these codings read-only"
    )]
    Locked { path: PathBuf, holder: String },
    /// The store was opened read-only.
    #[error("{path}: codings opened read-only; nothing can be recorded")]
    ReadOnly { path: PathBuf },
    /// A file the session would write is a symlink or read-only; refused before any decision.
    #[error("{path}: {reason}; fix the file or open these codings read-only")]
    NotWritable { path: PathBuf, reason: String },
    /// A decision that cannot be recorded as given.
    #[error("decision on paragraph {para:?} refused: {reason}")]
    InvalidDecision { para: String, reason: String },
    /// The record number is at its limit: a decision would wrap it to 0 and, after a restart,
    /// the journal would be refused as interleaved. Only a hand-edited file gets here.
    #[error(
        "{path}: decision not saved: the record number {seq} is at its limit (2^64-1), which \
         only a hand-edited file can reach; nothing was changed (see `polcode check`)"
    )]
    SeqExhausted { path: PathBuf, seq: u64 },
    /// Closing could not write the snapshot (or empty the journal): the session's decisions
    /// stay in the journal, which the next open replays.
    #[error(
        "codings not compacted on close: {message}; nothing is lost: every acknowledged \
         decision is in {journal} and is replayed at the next start"
    )]
    CloseFailed { journal: PathBuf, message: String },
    /// A failed write could not be rolled back; no further decision is accepted this session.
    #[error(
        "{path}: the journal could not be repaired after a failed write ({message}); every \
         decision acknowledged so far is safe — close polcode and reopen the study"
    )]
    Unusable { path: PathBuf, message: String },
}

impl StoreError {
    /// Wraps an I/O error with the path it concerns.
    pub(crate) fn io(path: &Path, cause: std::io::Error) -> Self {
        StoreError::Io {
            path: path.to_path_buf(),
            cause,
        }
    }
}

/// The files of one coder in the codings folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorePaths {
    /// `<coder>.yaml`
    pub snapshot: PathBuf,
    /// `<coder>.journal`
    pub journal: PathBuf,
    /// `<coder>.lock`
    pub lock: PathBuf,
}

impl StorePaths {
    /// The paths for `coder` in `codings_dir` (the name is not checked; see [`validate_coder`]).
    pub fn new(codings_dir: &Path, coder: &str) -> StorePaths {
        StorePaths {
            snapshot: codings_dir.join(format!("{coder}.yaml")),
            journal: codings_dir.join(format!("{coder}.journal")),
            lock: codings_dir.join(format!("{coder}.lock")),
        }
    }
}

/// Checks that `name` is usable as a coder (and file) name: letters (Chinese included), digits,
/// `-`, `_`, `.`; not empty, no leading dot, at most 64 characters.
pub fn validate_coder(name: &str) -> Result<(), StoreError> {
    let bad = |reason: &str| {
        Err(StoreError::InvalidCoder {
            name: name.to_string(),
            reason: reason.to_string(),
        })
    };
    if name.is_empty() {
        return bad("it is empty");
    }
    if name.starts_with('.') {
        return bad("it starts with a dot");
    }
    if name.chars().count() > 64 {
        return bad("it is longer than 64 characters");
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_alphanumeric() || matches!(c, '-' | '_' | '.')))
    {
        return bad(&format!(
            "{c:?} is not allowed (use letters, digits, '-', '_', '.')"
        ));
    }
    Ok(())
}

/// Reads a coder's codings without the lock and without writing anything (statistics, export,
/// `polcode check`). Returns the codings and the warnings (torn journal tail and the like).
/// A missing coder gives empty codings.
pub fn read_codings(codings_dir: &Path, coder: &str) -> Result<(Codings, Vec<String>), StoreError> {
    let (codings, warnings, _) = read_codings_with_seq(codings_dir, coder)?;
    Ok((codings, warnings))
}

/// [`read_codings`] plus the last record number (for `polcode check`, which reports one near
/// its limit).
pub(crate) fn read_codings_with_seq(
    codings_dir: &Path,
    coder: &str,
) -> Result<(Codings, Vec<String>, u64), StoreError> {
    validate_coder(coder)?;
    let loaded = load(&StorePaths::new(codings_dir, coder), coder)?;
    Ok((loaded.codings, loaded.warnings, loaded.seq))
}

/// Refuses a new coder whose name looks like an existing one's (`Li`, `ｌｉ` next to `li`):
/// a second set of codings for the same person, and one file on a case-insensitive disk.
fn refuse_look_alike_coder(codings_dir: &Path, coder: &str) -> Result<(), StoreError> {
    let paths = StorePaths::new(codings_dir, coder);
    if paths.snapshot.exists() || paths.journal.exists() {
        return Ok(());
    }
    let Ok(rd) = std::fs::read_dir(codings_dir) else {
        return Ok(());
    };
    let mine = crate::lookalike::skeleton(coder);
    let mut others: Vec<String> = rd
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_str()?.to_string();
            let stem = name
                .strip_suffix(".yaml")
                .or_else(|| name.strip_suffix(".journal"))?;
            (!stem.starts_with('.') && stem != coder && crate::lookalike::skeleton(stem) == mine)
                .then(|| stem.to_string())
        })
        .collect();
    others.sort();
    match others.first() {
        Some(other) => Err(StoreError::InvalidCoder {
            name: coder.to_string(),
            reason: format!(
                "it looks like the existing coder {other:?} (names may not differ only in case, \
                 width, Unicode normalisation or invisible characters); use {other:?}"
            ),
        }),
        None => Ok(()),
    }
}

/// State rebuilt from disk.
struct Loaded {
    codings: Codings,
    /// Last seq in the codings (snapshot or journal).
    seq: u64,
    warnings: Vec<String>,
    /// The journal holds something that must go before appending (torn tail, old records).
    journal_needs_cleanup: bool,
    /// Byte length of the journal's good part.
    journal_len: u64,
}

fn load(paths: &StorePaths, coder: &str) -> Result<Loaded, StoreError> {
    // Journal first, then snapshot: if a session compacts in between, the newer snapshot's seq
    // covers every record read, so a lock-free reader never misses a decision.
    let replay = journal::read(&paths.journal)?;
    let snap = snapshot::read(&paths.snapshot, coder)?.unwrap_or_else(|| snapshot::Snapshot {
        codings: Codings {
            coder: coder.to_string(),
            ..Codings::default()
        },
        seq: 0,
    });
    let mut warnings = replay.warnings;
    let mut codings = snap.codings;
    let mut seq = snap.seq;
    let mut stale = 0usize;
    for rec in replay.records {
        if rec.seq <= snap.seq {
            // Already in the snapshot: a crash came between writing it and truncating.
            stale += 1;
            continue;
        }
        if seq == snap.seq && rec.seq != snap.seq + 1 {
            warnings.push(format!(
                "{}: journal continues at record {} but {} ends at record {}; the decisions in \
                 between were in a snapshot that has since been replaced",
                paths.journal.display(),
                rec.seq,
                paths.snapshot.display(),
                snap.seq
            ));
        }
        seq = rec.seq;
        codings.apply(rec.d);
    }
    Ok(Loaded {
        codings,
        seq,
        warnings,
        journal_needs_cleanup: replay.dirty_tail || stale > 0,
        journal_len: replay.good_len,
    })
}

/// Refuses a file the session would replace or append to if it is a symlink or read-only.
fn check_writable(path: &Path) -> Result<(), StoreError> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => Err(StoreError::NotWritable {
            path: path.to_path_buf(),
            reason: "is a symlink, which polcode will not replace".into(),
        }),
        Ok(meta) if !meta.is_file() => Err(StoreError::NotWritable {
            path: path.to_path_buf(),
            reason: "is not a regular file".into(),
        }),
        Ok(meta) if meta.permissions().readonly() => Err(StoreError::NotWritable {
            path: path.to_path_buf(),
            reason: "is read-only".into(),
        }),
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(StoreError::io(path, e)),
    }
}

/// Refuses a read-only lock file before the lock is taken: opening it for writing fails for
/// everyone but root, who would otherwise rewrite it. A symlinked one is refused by
/// [`CoderLock::acquire`] before it opens anything.
fn check_lock_writable(path: &Path) -> Result<(), StoreError> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.is_file() && meta.permissions().readonly() => {
            Err(StoreError::NotWritable {
                path: path.to_path_buf(),
                reason: "is read-only".into(),
            })
        }
        _ => Ok(()),
    }
}

/// A coder's codings opened for a session.
///
/// Read-write: holds `<coder>.lock`; every [`record`](CoderStore::record) is appended to the
/// journal and `fdatasync`ed before it returns; every `compact_every` records and on
/// [`close`](CoderStore::close) the snapshot is rewritten atomically and the journal emptied.
pub struct CoderStore {
    paths: StorePaths,
    mode: OpenMode,
    codings: Codings,
    /// Last seq recorded.
    seq: u64,
    /// Open with O_APPEND in read-write mode.
    journal: Option<File>,
    /// Length of the journal's acknowledged content: a failed append is cut back to it.
    journal_len: u64,
    /// Records since the last compaction.
    since_compact: usize,
    compact_every: usize,
    /// In-memory state differs from the snapshot on disk.
    dirty: bool,
    warnings: Vec<String>,
    /// Set when a failed append could not be rolled back.
    unusable: Option<String>,
    lock: Option<CoderLock>,
}

impl std::fmt::Debug for CoderStore {
    // Short on purpose: the codings can hold hundreds of thousands of decisions.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CoderStore")
            .field("snapshot", &self.paths.snapshot)
            .field("mode", &self.mode)
            .field("seq", &self.seq)
            .field("decisions", &self.codings.decisions.len())
            .field("orphans", &self.codings.orphans.len())
            .field("journal_len", &self.journal_len)
            .finish_non_exhaustive()
    }
}

impl CoderStore {
    /// Opens `coder`'s codings in `codings_dir`. Read-write takes the lock (or fails with
    /// [`StoreError::Locked`]), refuses symlinked or read-only files, and cleans a torn journal
    /// tail by compacting at once. Nothing is written if the snapshot or journal is bad.
    pub fn open(codings_dir: &Path, coder: &str, mode: OpenMode) -> Result<CoderStore, StoreError> {
        validate_coder(coder)?;
        let paths = StorePaths::new(codings_dir, coder);
        let lock = match mode {
            OpenMode::ReadOnly => None,
            OpenMode::ReadWrite => {
                // Every refusal before anything is written: taking the lock writes the lock
                // file (and root can write a read-only one).
                refuse_look_alike_coder(codings_dir, coder)?;
                check_writable(&paths.snapshot)?;
                check_writable(&paths.journal)?;
                check_lock_writable(&paths.lock)?;
                std::fs::create_dir_all(codings_dir).map_err(|e| StoreError::io(codings_dir, e))?;
                let lock = CoderLock::acquire(&paths.lock)?;
                remove_stale_temp_files(codings_dir, coder);
                Some(lock)
            }
        };
        let loaded = load(&paths, coder)?;
        let journal = match mode {
            OpenMode::ReadOnly => None,
            OpenMode::ReadWrite => Some(
                OpenOptions::new()
                    .append(true)
                    .create(true)
                    .open(&paths.journal)
                    .map_err(|e| StoreError::io(&paths.journal, e))?,
            ),
        };
        let (compact_every, env_warning) = compact_every_from_env();
        let mut warnings = loaded.warnings;
        warnings.extend(env_warning);
        let mut store = CoderStore {
            paths,
            mode,
            codings: loaded.codings,
            seq: loaded.seq,
            journal,
            journal_len: loaded.journal_len,
            since_compact: 0,
            compact_every,
            dirty: false,
            warnings,
            unusable: None,
            lock,
        };
        if mode == OpenMode::ReadWrite && loaded.journal_needs_cleanup {
            // Appending after a torn tail would turn it into a corrupt middle record.
            store.dirty = true;
            store.compact()?;
        }
        Ok(store)
    }

    /// The current codings: snapshot, journal and this session's records.
    pub fn codings(&self) -> &Codings {
        &self.codings
    }

    /// Problems tolerated while opening (a torn last journal record, a replaced snapshot) or
    /// while compacting; for the status line and `polcode check`.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// How the store was opened.
    pub fn mode(&self) -> OpenMode {
        self.mode
    }

    /// Sets how many records go between automatic compactions (at least 1).
    pub fn set_compact_every(&mut self, n: usize) {
        self.compact_every = n.max(1);
    }

    /// Records a decision durably: appended to the journal and `fdatasync`ed, then applied.
    /// An empty `coder` or `at` is filled in here — the store is the session's one clock (the
    /// coding screen leaves `at` empty) — and the decision as recorded is returned. On error
    /// nothing changed, in memory or on disk. A decision with nothing in it clears the
    /// paragraph (that is how undo to "uncoded" works).
    pub fn record(&mut self, d: Decision) -> Result<Decision, StoreError> {
        let mut recorded = self.record_all(vec![d])?;
        Ok(recorded.remove(0))
    }

    /// Records several decisions with one append and one `fdatasync` (how reconciling carries
    /// the agreed paragraphs into a consensus): on an error reported here, none of them. After
    /// a crash or power loss during the write, replay applies the complete lines, a prefix of
    /// the batch (harmless for a consensus: the next reconcile carries the rest). Returns the
    /// decisions as recorded (stamped), in order.
    pub fn record_all(&mut self, ds: Vec<Decision>) -> Result<Vec<Decision>, StoreError> {
        if let Some(message) = &self.unusable {
            return Err(StoreError::Unusable {
                path: self.paths.journal.clone(),
                message: message.clone(),
            });
        }
        if self.journal.is_none() {
            return Err(StoreError::ReadOnly {
                path: self.paths.snapshot.clone(),
            });
        }
        let mut recs = Vec::with_capacity(ds.len());
        let mut bytes = Vec::new();
        let mut seq = self.seq;
        for mut d in ds {
            if d.para.is_empty() {
                return Err(StoreError::InvalidDecision {
                    para: d.para,
                    reason: "no paragraph id".into(),
                });
            }
            if d.coder.is_empty() {
                d.coder = self.codings.coder.clone();
            } else if d.coder != self.codings.coder {
                return Err(StoreError::InvalidDecision {
                    para: d.para,
                    reason: format!(
                        "it belongs to coder {:?}, not {:?}",
                        d.coder, self.codings.coder
                    ),
                });
            }
            if d.at.is_empty() {
                d.at = now_rfc3339();
            }
            let Some(next) = seq.checked_add(1) else {
                return Err(StoreError::SeqExhausted {
                    path: self.paths.journal.clone(),
                    seq,
                });
            };
            seq = next;
            let rec = Record { seq, d };
            let line = journal::encode(&rec).map_err(|e| StoreError::InvalidDecision {
                para: rec.d.para.clone(),
                reason: e.to_string(),
            })?;
            bytes.extend_from_slice(&line);
            recs.push(rec);
        }
        if recs.is_empty() {
            return Ok(Vec::new());
        }
        let Some(file) = self.journal.as_mut() else {
            return Err(StoreError::ReadOnly {
                path: self.paths.snapshot.clone(),
            });
        };
        if let Err(e) = journal::append(file, &bytes) {
            // Part of the lines may be in the file: cut it off so the next append does not
            // land after garbage. If even that fails, stop accepting decisions.
            let undo = file
                .set_len(self.journal_len)
                .and_then(|_| file.sync_data());
            if let Err(u) = undo {
                self.unusable = Some(format!("after \"{e}\": {u}"));
            }
            return Err(StoreError::WriteFailed {
                path: self.paths.journal.clone(),
                cause: e,
            });
        }
        self.journal_len += bytes.len() as u64;
        self.seq = seq;
        self.since_compact += recs.len();
        let mut recorded = Vec::with_capacity(recs.len());
        for rec in recs {
            self.codings.apply(rec.d.clone());
            recorded.push(rec.d);
        }
        self.dirty = true;
        if self.since_compact >= self.compact_every {
            // The decisions are already durable in the journal; a failed compaction only means
            // the journal keeps growing, so it is a warning, retried after the next batch.
            if let Err(e) = self.compact() {
                self.since_compact = 0;
                self.warnings.push(format!("compaction failed: {e}"));
            }
        }
        Ok(recorded)
    }

    /// Writes the snapshot (atomic replace, fsync'd) and then empties the journal. A crash in
    /// between is harmless: replay skips journal records the snapshot already holds (by seq).
    pub fn compact(&mut self) -> Result<(), StoreError> {
        let Some(file) = self.journal.as_mut() else {
            return Err(StoreError::ReadOnly {
                path: self.paths.snapshot.clone(),
            });
        };
        snapshot::write(&self.paths.snapshot, &self.codings, self.seq)?;
        self.dirty = false;
        self.since_compact = 0;
        file.set_len(0)
            .and_then(|_| file.sync_data())
            .map_err(|e| StoreError::io(&self.paths.journal, e))?;
        self.journal_len = 0;
        Ok(())
    }

    /// Re-anchors the decisions to re-imported documents (`docs` must be all the study's
    /// documents) and, if anything moved, writes the snapshot at once. A read-only store
    /// re-anchors its codings in memory only: a read-only session shows and counts them on
    /// the text as it is now, and nothing is written. See `anchor::reanchor`.
    pub fn reanchor(&mut self, docs: &[Document]) -> Result<AnchorReport, StoreError> {
        let report = anchor::reanchor(&mut self.codings, docs);
        if self.mode == OpenMode::ReadWrite && !report.is_unchanged() {
            self.dirty = true;
            self.compact()?;
        }
        Ok(report)
    }

    /// Ends the session: compacts if anything changed, then releases the lock. On error the
    /// journal still holds every decision, so nothing is lost; the lock is released anyway.
    pub fn close(mut self) -> Result<(), StoreError> {
        let result = if self.mode == OpenMode::ReadWrite && (self.dirty || self.journal_len > 0) {
            self.compact().map_err(|e| StoreError::CloseFailed {
                journal: self.paths.journal.clone(),
                message: e.to_string(),
            })
        } else {
            Ok(())
        };
        drop(self.lock.take());
        result
    }
}
