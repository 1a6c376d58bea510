//! Durable file writes, content hashes and guarded YAML reading shared by the study, the
//! codebook, the store and the exporters.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::Path;

use sha2::{Digest, Sha256};

/// Writes `bytes` to `path` by atomic replace: a temporary file in the same directory, the old
/// file's permissions kept, fsync, rename over the target, fsync the directory. A symlink or a
/// read-only file at `path` is refused and left as it is. A crash at any
/// point leaves either the old file or the new one, never a truncated mix.
pub fn atomic_write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    atomic_write_with(path, |w| w.write_all(bytes))
}

/// [`atomic_write`] with the content streamed by `write` into a buffered writer on the
/// temporary file, so a large file need not be built in memory first. An error from `write`
/// leaves the target untouched.
pub(crate) fn atomic_write_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "path has no file name"))?;
    // Refuse to replace a symlink: renaming over it would silently cut the link. Refuse a
    // read-only file too: rename ignores the file's own mode, so without this check a file the
    // user protected would be replaced anyway.
    if let Ok(meta) = fs::symlink_metadata(path) {
        if meta.file_type().is_symlink() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{} is a symlink; refusing to replace it", path.display()),
            ));
        }
        if meta.permissions().readonly() {
            return Err(io::Error::new(
                io::ErrorKind::PermissionDenied,
                format!("{} is read-only; refusing to replace it", path.display()),
            ));
        }
    }
    let tmp = dir.join(format!(
        ".{}.tmp-{}",
        name.to_string_lossy(),
        std::process::id()
    ));
    let result = (|| {
        let f = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&tmp)?;
        if let Ok(old) = fs::metadata(path) {
            f.set_permissions(old.permissions())?;
        }
        let mut w = io::BufWriter::with_capacity(64 * 1024, f);
        write(&mut w)?;
        let f = w.into_inner().map_err(io::IntoInnerError::into_error)?;
        f.sync_all()?;
        drop(f);
        fs::rename(&tmp, path)?;
        sync_dir(dir)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Fsyncs a directory so that a rename or a new file in it survives a power cut.
pub(crate) fn sync_dir(dir: &Path) -> io::Result<()> {
    match File::open(dir) {
        Ok(d) => d.sync_all().or(Ok(())),
        Err(e) => Err(e),
    }
}

/// Parses YAML text from a user file, first refusing alias amplification ("billion laughs").
///
/// serde_yaml limits nesting depth (128) and nested alias expansion, but not one large node
/// aliased many times: 300 KB of YAML can expand to gigabytes and abort the process. polcode
/// never writes anchors, so only text with a `&` is walked first (without allocating); the walk
/// fails once the scalars visited, aliases expanded, exceed twice the text's size plus 4 KiB —
/// an alias-free file can never do that. Errors keep serde_yaml's line and column.
pub fn yaml_from_str<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, serde_yaml::Error> {
    if text.contains('&') {
        expansion::check(text)?;
    }
    serde_yaml::from_str(text)
}

/// The alias-expansion walk behind [`yaml_from_str`].
mod expansion {
    use std::cell::Cell;
    use std::fmt;

    use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

    pub(crate) fn check(text: &str) -> Result<(), serde_yaml::Error> {
        let budget = Cell::new(2 * text.len() as u64 + 4096);
        Walk(&budget).deserialize(serde_yaml::Deserializer::from_str(text))
    }

    #[derive(Clone, Copy)]
    struct Walk<'a>(&'a Cell<u64>);

    impl Walk<'_> {
        fn spend<E: de::Error>(self, n: usize) -> Result<(), E> {
            match self.0.get().checked_sub(n as u64 + 1) {
                Some(left) => {
                    self.0.set(left);
                    Ok(())
                }
                None => Err(E::custom(
                    "aliases expand to far more data than the file holds (alias bomb?); \
                     polcode never writes aliases, remove them",
                )),
            }
        }
    }

    impl<'de> DeserializeSeed<'de> for Walk<'_> {
        type Value = ();
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_any(self)
        }
    }

    impl<'de> Visitor<'de> for Walk<'_> {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("any YAML value")
        }
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
            self.spend(1)
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
            self.spend(1)
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
            self.spend(1)
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
            self.spend(1)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
            self.spend(v.len())
        }
        fn visit_unit<E: de::Error>(self) -> Result<(), E> {
            self.spend(0)
        }
        fn visit_none<E: de::Error>(self) -> Result<(), E> {
            self.spend(0)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_any(self)
        }
        fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_any(self)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            self.spend(0)?;
            while seq.next_element_seed(self)?.is_some() {}
            Ok(())
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            self.spend(0)?;
            while map.next_key_seed(self)?.is_some() {
                map.next_value_seed(self)?;
            }
            Ok(())
        }
        fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
            use de::VariantAccess;
            let ((), variant) = data.variant_seed(self)?;
            variant.newtype_variant_seed(self)
        }
    }
}

/// Hex SHA-256 of `bytes`, truncated to `len` hex digits (16 is plenty to identify a paragraph).
pub fn hash_hex(bytes: &[u8], len: usize) -> String {
    let digest = Sha256::digest(bytes);
    let mut s = String::with_capacity(64);
    for b in digest {
        s.push_str(&format!("{b:02x}"));
    }
    s.truncate(len.min(64));
    s
}

/// What kind of file system object `ft` is, for messages about files that are not regular
/// files ("a named pipe (FIFO)", "a socket", ...).
pub(crate) fn file_kind(ft: fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if ft.is_socket() {
            return "a socket";
        }
        if ft.is_block_device() || ft.is_char_device() {
            return "a device";
        }
    }
    if ft.is_dir() {
        "a folder"
    } else if ft.is_symlink() {
        "a symlink"
    } else if ft.is_file() {
        "a regular file"
    } else {
        "not a regular file"
    }
}

/// A byte count for messages: `200.0 MiB`, `12.5 KiB`, `17 bytes`.
pub(crate) fn human_size(n: u64) -> String {
    if n >= 1 << 20 {
        format!("{:.1} MiB", n as f64 / (1u64 << 20) as f64)
    } else if n >= 1 << 10 {
        format!("{:.1} KiB", n as f64 / 1024.0)
    } else {
        format!("{n} bytes")
    }
}

/// The current time as an RFC 3339 UTC timestamp with seconds, for decision records.
pub fn now_rfc3339() -> String {
    let now = time::OffsetDateTime::now_utc();
    now.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| now.unix_timestamp().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_and_keeps_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.yaml");
        fs::write(&p, "old").unwrap();
        fs::set_permissions(&p, fs::Permissions::from_mode(0o640)).unwrap();
        atomic_write(&p, b"new").unwrap();
        assert_eq!(fs::read_to_string(&p).unwrap(), "new");
        assert_eq!(
            fs::metadata(&p).unwrap().permissions().mode() & 0o777,
            0o640
        );
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temp file left"
        );
    }

    #[test]
    fn atomic_write_refuses_symlink() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("t");
        fs::write(&target, "keep").unwrap();
        let link = dir.path().join("l");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        assert!(atomic_write(&link, b"x").is_err());
        assert_eq!(fs::read_to_string(&target).unwrap(), "keep");
    }

    #[test]
    fn atomic_write_refuses_read_only_file() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("polcode.yaml");
        fs::write(&p, "keep").unwrap();
        fs::set_permissions(&p, fs::Permissions::from_mode(0o444)).unwrap();
        let e = atomic_write(&p, b"x").unwrap_err();
        assert!(
            e.to_string()
                .ends_with("is read-only; refusing to replace it"),
            "{e}"
        );
        assert_eq!(fs::read_to_string(&p).unwrap(), "keep");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn yaml_alias_bomb_is_refused_and_plain_yaml_reads() {
        let big = "区块链".repeat(10_000);
        let refs = vec!["*a"; 5_000].join(", ");
        let bomb = format!("a: &a \"{big}\"\nb: [{refs}]\n");
        let e = yaml_from_str::<serde_yaml::Value>(&bomb).unwrap_err();
        assert!(e.to_string().contains("alias bomb"), "{e}");
        // A few aliases of a small node are fine.
        let v: serde_yaml::Value = yaml_from_str("a: &x [1, 2]\nb: *x\nc: \"R&D\"\n").unwrap();
        assert_eq!(v["b"], v["a"]);
    }

    #[test]
    fn hash_is_stable() {
        assert_eq!(hash_hex("区块链".as_bytes(), 16).len(), 16);
        assert_eq!(hash_hex(b"a", 8), hash_hex(b"a", 8));
        assert_ne!(hash_hex(b"a", 8), hash_hex(b"b", 8));
    }
}
