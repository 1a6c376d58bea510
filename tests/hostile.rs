//! Hostile and broken input, one test per case of the catalogue in RELIABILITY.md: each asserts
//! the exact message shown (file named, line where there is one), that nothing panics, and that
//! no user file is overwritten or truncated (every file's bytes compared before and after).
//! Small inputs live in tests/fixtures/hostile/; big or binary ones are generated here from the
//! project's own demo documents (real Chinese policy text).

#[path = "hostile/bounds.rs"]
mod bounds;
#[path = "hostile/codebooks.rs"]
mod codebooks;
#[path = "hostile/codings.rs"]
mod codings;
#[path = "hostile/documents.rs"]
mod documents;
#[path = "hostile/fuzz_replay.rs"]
mod fuzz_replay;
#[path = "hostile/support.rs"]
mod support;
#[path = "hostile/terminal.rs"]
mod terminal;
