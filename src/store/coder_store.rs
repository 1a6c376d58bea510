//! One coder's codings opened for a session: snapshot + journal replay, lock, durable record.

use thiserror::Error;

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
    #[error("{0}")]
    Todo(String),
}

/// A coder's codings opened for a session.
pub struct CoderStore {}
