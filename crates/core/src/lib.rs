//! polcode-core: the functional core of polcode, a keyboard-driven tool for coding policy
//! documents: studies, codebooks, corpus import, the coder store, suggestions, statistics and
//! exchange formats.
//!
//! This crate has no terminal dependency: ratatui and crossterm are not among its dependencies,
//! so the compiler refuses any use of them here. The coding screen is the `polcode-tui` crate,
//! the command line the `polcode` binary at the top of the workspace.
#![forbid(unsafe_code)]

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
pub mod wordseg;
pub mod xmltext;
