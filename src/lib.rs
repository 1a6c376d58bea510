//! polcode: the functional core of a keyboard-driven tool for coding policy documents.
//!
//! Everything in this library except [`tui`] is terminal-free: it must not import ratatui or
//! crossterm (`tests/architecture.rs` enforces it).
#![forbid(unsafe_code)]

pub mod benchdata;
pub mod check;
pub mod codebook;
pub mod corpus;
pub mod demo;
pub mod devset;
pub mod docfile;
pub mod export;
pub mod flowyaml;
pub mod fsutil;
pub mod ingest;
pub mod lookalike;
pub mod sample;
pub mod search;
pub mod stats;
pub mod store;
pub mod study;
pub mod suggest;
pub mod termsafe;
pub mod tui;
pub mod wordseg;
