//! The append-only journal `<coder>.journal`: record format, durable append, and replay that
//! tolerates a torn last record but refuses corruption anywhere else.
//!
//! # Format
//! One record per line. Each line is a JSON object (which is also a YAML flow mapping, so the
//! file stays readable with any YAML tool):
//!
//! ```text
//! {"seq":12,"d":{"para":"doc#3","hash":"…","nodes":["supply"],"coder":"li","at":"…"},"crc":"1a2b3c4d"}
//! ```
//!
//! `seq` increases by one per record over the life of the coder file (the snapshot stores the
//! last seq it contains, so replay can skip records already folded into it). `crc` is the first
//! eight hex digits of the SHA-256 of the line's bytes before `,"crc"`: a record that was torn
//! by a crash, or garbled afterwards, fails the check. JSON is used rather than block YAML
//! because it puts one record on exactly one line, which is what makes "torn" well defined.

use std::fs::File;
use std::io::{self, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{Decision, StoreError};
use crate::fsutil::hash_hex;

/// Fixed text between the record body and the checksum.
const CRC_KEY: &str = ",\"crc\":\"";
/// Hex digits of the checksum.
const CRC_LEN: usize = 8;

/// One journal record: a decision and its sequence number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// Sequence number, strictly increasing within a journal.
    pub seq: u64,
    /// The decision: the full state of its paragraph.
    pub d: Decision,
}

/// Encodes a record as one journal line, newline included.
pub fn encode(rec: &Record) -> Result<Vec<u8>, serde_json::Error> {
    let mut line = serde_json::to_vec(rec)?;
    // serde_json ends an object with `}`; the checksum goes inside the object, after the body.
    line.pop();
    let crc = hash_hex(&line, CRC_LEN);
    line.extend_from_slice(CRC_KEY.as_bytes());
    line.extend_from_slice(crc.as_bytes());
    line.extend_from_slice(b"\"}\n");
    Ok(line)
}

/// Decodes one line (without its newline); the error says what is wrong with it.
pub(crate) fn decode(line: &[u8]) -> Result<Record, String> {
    let suffix_len = CRC_KEY.len() + CRC_LEN + 2;
    if line.len() < suffix_len || !line.ends_with(b"\"}") {
        return Err("record is incomplete (no checksum at its end)".into());
    }
    let body_end = line.len() - suffix_len;
    let (body, suffix) = line.split_at(body_end);
    if !suffix.starts_with(CRC_KEY.as_bytes()) {
        return Err("record is incomplete (no checksum at its end)".into());
    }
    let stored = &suffix[CRC_KEY.len()..CRC_KEY.len() + CRC_LEN];
    if hash_hex(body, CRC_LEN).as_bytes() != stored {
        return Err("checksum mismatch: the record was changed or torn".into());
    }
    #[derive(Deserialize)]
    struct WithCrc {
        seq: u64,
        d: Decision,
        #[allow(dead_code)]
        crc: String,
    }
    let r: WithCrc = serde_json::from_slice(line).map_err(|e| format!("bad record: {e}"))?;
    Ok(Record { seq: r.seq, d: r.d })
}

/// Appends one encoded line with a single `write_all` and `fdatasync`s it. The file must be
/// opened with `O_APPEND`. On error the caller must cut the file back to its previous length,
/// since part of the line may have reached the file.
pub(crate) fn append(file: &mut File, line: &[u8]) -> io::Result<()> {
    file.write_all(line)?;
    file.sync_data()
}

/// What replaying a journal found.
#[derive(Debug, Default)]
pub struct Replay {
    /// Good records in file order.
    pub records: Vec<Record>,
    /// Problems tolerated (a torn last line), as messages naming file and line.
    pub warnings: Vec<String>,
    /// Byte length of the good prefix of the file (everything up to the torn tail, if any).
    pub good_len: u64,
    /// Whether the file ends in something other than complete records (a torn tail, or a last
    /// record without its newline): the file must be cleaned before anything is appended.
    pub dirty_tail: bool,
}

/// Reads and checks the journal at `path`; a missing file is an empty journal. A bad record
/// that is not the last line is an error naming `path:line`; records must have increasing seq.
pub fn read(path: &Path) -> Result<Replay, StoreError> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Replay::default()),
        Err(e) => return Err(StoreError::io(path, e)),
    };
    parse(path, &bytes)
}

/// Replays journal bytes (see [`read`]); `path` is only used in messages.
pub fn parse(path: &Path, bytes: &[u8]) -> Result<Replay, StoreError> {
    let mut out = Replay::default();
    let mut start = 0usize;
    let mut line_no = 0usize;
    let mut last_seq: Option<u64> = None;
    while start < bytes.len() {
        line_no += 1;
        let (line, next, has_nl) = match bytes[start..].iter().position(|&b| b == b'\n') {
            Some(i) => (&bytes[start..start + i], start + i + 1, true),
            None => (&bytes[start..], bytes.len(), false),
        };
        let is_last = next >= bytes.len();
        match decode(line) {
            Ok(rec) => {
                if let Some(prev) = last_seq {
                    if rec.seq <= prev {
                        return Err(StoreError::Parse {
                            path: path.to_path_buf(),
                            line: line_no,
                            column: 1,
                            message: format!(
                                "journal record seq {} does not follow seq {prev}: the journal \
                                 was interleaved or edited",
                                rec.seq
                            ),
                        });
                    }
                }
                last_seq = Some(rec.seq);
                out.records.push(rec);
                if has_nl {
                    out.good_len = next as u64;
                } else {
                    // Complete and checked, but the newline never made it: keep the record,
                    // and have the writer rewrite the file before appending after it.
                    out.dirty_tail = true;
                    out.good_len = next as u64;
                }
            }
            Err(msg) if is_last => {
                out.dirty_tail = true;
                out.warnings.push(format!(
                    "{}:{line_no}: torn last journal record ignored ({msg}); it was never \
                     acknowledged",
                    path.display()
                ));
            }
            Err(msg) => {
                return Err(StoreError::Parse {
                    path: path.to_path_buf(),
                    line: line_no,
                    column: 1,
                    message: format!(
                        "journal record corrupt ({msg}); it is not the last record, so it \
                         cannot be a torn write: the file was damaged or edited. Nothing was \
                         changed; repair or move the file aside"
                    ),
                })
            }
        }
        start = next;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(para: &str, nodes: &[&str]) -> Decision {
        Decision {
            para: para.into(),
            hash: "abcd".into(),
            nodes: nodes.iter().map(|s| s.to_string()).collect(),
            no_code: false,
            scores: Default::default(),
            memo: Some("推动区块链和实体经济深度融合".into()),
            coder: "李".into(),
            at: "2024-01-01T00:00:00Z".into(),
            via: Default::default(),
            derived: None,
            found: None,
        }
    }

    #[test]
    fn encode_decode_round_trip_and_is_yaml_too() {
        let rec = Record {
            seq: 7,
            d: dec("d#1", &["supply.human-resources"]),
        };
        let line = encode(&rec).unwrap();
        assert_eq!(*line.last().unwrap(), b'\n');
        assert_eq!(line.iter().filter(|&&b| b == b'\n').count(), 1);
        assert_eq!(decode(&line[..line.len() - 1]).unwrap(), rec);
        let v: serde_yaml::Value = serde_yaml::from_slice(&line).unwrap();
        assert_eq!(v["seq"].as_u64(), Some(7));
    }

    #[test]
    fn any_changed_byte_is_detected() {
        let line = encode(&Record {
            seq: 1,
            d: dec("d#1", &["a"]),
        })
        .unwrap();
        let body = &line[..line.len() - 1];
        for i in 0..body.len() {
            let mut bad = body.to_vec();
            bad[i] ^= 0x01;
            assert!(decode(&bad).is_err(), "flip at byte {i} not detected");
        }
        for cut in 0..body.len() {
            assert!(decode(&body[..cut]).is_err(), "cut at {cut} not detected");
        }
    }

    #[test]
    fn torn_tail_is_a_warning_and_middle_corruption_an_error() {
        let p = Path::new("c/li.journal");
        let a = encode(&Record {
            seq: 1,
            d: dec("d#1", &["a"]),
        })
        .unwrap();
        let b = encode(&Record {
            seq: 2,
            d: dec("d#2", &["b"]),
        })
        .unwrap();
        let mut torn = a.clone();
        torn.extend_from_slice(&b[..b.len() / 2]);
        let r = parse(p, &torn).unwrap();
        assert_eq!(r.records.len(), 1);
        assert!(r.dirty_tail);
        assert_eq!(r.good_len, a.len() as u64);
        assert!(r.warnings[0].contains("c/li.journal:2"), "{:?}", r.warnings);

        let mut middle = b[..b.len() / 2].to_vec();
        middle.push(b'\n');
        middle.extend_from_slice(&a);
        let e = parse(p, &middle).unwrap_err().to_string();
        assert!(e.starts_with("c/li.journal:1:"), "{e}");
    }

    #[test]
    fn out_of_order_seq_is_an_error() {
        let p = Path::new("li.journal");
        let mut bytes = encode(&Record {
            seq: 5,
            d: dec("d#1", &["a"]),
        })
        .unwrap();
        bytes.extend(
            encode(&Record {
                seq: 5,
                d: dec("d#2", &["a"]),
            })
            .unwrap(),
        );
        let e = parse(p, &bytes).unwrap_err().to_string();
        assert!(
            e.contains("li.journal:2") && e.contains("interleaved"),
            "{e}"
        );
    }
}
