//! The sidecar lock `<coder>.lock` that keeps a second session off a coder's files.
//!
//! The lock is an OS advisory lock (`flock` on Unix) on a separate file — never on the
//! snapshot, which is replaced by rename and so cannot carry a lock. The OS drops the lock when
//! the process ends, however it ends (`kill -9` included), so a lock can never go stale; the
//! file itself stays behind, which is harmless: only the OS lock counts, the text inside (pid,
//! host, start time) is there to tell the user who holds it. The file is never deleted, since
//! deleting a lock file races with a session that has just opened it.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

use super::StoreError;
use crate::fsutil::now_rfc3339;

/// A held lock; dropping it releases the lock.
#[derive(Debug)]
pub struct CoderLock {
    // Held only for its OS lock, released when the file is closed.
    _file: File,
}

impl CoderLock {
    /// Takes the lock at `path` without waiting. If another session holds it, returns
    /// [`StoreError::Locked`] with what the lock file says about the holder.
    pub fn acquire(path: &Path) -> Result<CoderLock, StoreError> {
        if let Ok(meta) = std::fs::symlink_metadata(path) {
            if meta.file_type().is_symlink() {
                return Err(StoreError::NotWritable {
                    path: path.to_path_buf(),
                    reason: "the lock file is a symlink; remove it".into(),
                });
            }
        }
        // No truncate: until we hold the lock, the text belongs to the holder.
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .map_err(|e| StoreError::io(path, e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let mut holder = String::new();
                let _ = file.read_to_string(&mut holder);
                let holder = holder.split_whitespace().collect::<Vec<_>>().join(" ");
                return Err(StoreError::Locked {
                    path: path.to_path_buf(),
                    holder: if holder.is_empty() {
                        "unknown session".into()
                    } else {
                        holder
                    },
                });
            }
            Err(TryLockError::Error(e)) => return Err(StoreError::io(path, e)),
        }
        let info = format!(
            "pid {} on {} since {}\n",
            std::process::id(),
            hostname(),
            now_rfc3339()
        );
        // Informational only: a failure here does not weaken the lock.
        let _ = file
            .set_len(0)
            .and_then(|_| file.seek(SeekFrom::Start(0)))
            .and_then(|_| file.write_all(info.as_bytes()));
        Ok(CoderLock { _file: file })
    }
}

/// Whether someone holds the lock at `path` right now (for `polcode check`); the holder text
/// when so. Never blocks and never leaves the lock taken.
pub(crate) fn holder(path: &Path) -> Result<Option<String>, StoreError> {
    // Read-only open and a shared lock: probing must not write to the file.
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(StoreError::io(path, e)),
    };
    match file.try_lock_shared() {
        Ok(()) => Ok(None),
        Err(TryLockError::WouldBlock) => {
            let mut text = String::new();
            let _ = file.read_to_string(&mut text);
            Ok(Some(text.split_whitespace().collect::<Vec<_>>().join(" ")))
        }
        Err(TryLockError::Error(e)) => Err(StoreError::io(path, e)),
    }
}

/// The host name, for the lock file's text; read from the kernel without any unsafe call.
fn hostname() -> String {
    ["/proc/sys/kernel/hostname", "/etc/hostname"]
        .iter()
        .find_map(|p| std::fs::read_to_string(p).ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "unknown host".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_lock_is_refused_then_released() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("li.lock");
        let a = CoderLock::acquire(&p).unwrap();
        let me = format!("pid {}", std::process::id());
        match CoderLock::acquire(&p).unwrap_err() {
            StoreError::Locked { path, holder } => {
                assert_eq!(path, p);
                assert!(holder.contains(&me), "{holder}");
            }
            e => panic!("wrong error {e}"),
        }
        assert!(holder(&p).unwrap().is_some());
        drop(a);
        assert!(holder(&p).unwrap().is_none());
        let _b = CoderLock::acquire(&p).unwrap();
    }
}
