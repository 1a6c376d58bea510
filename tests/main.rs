//! polcode's integration tests, compiled as ONE test binary: each file under `tests/` is a
//! module of it, so the workspace is linked once for all of them instead of once per file (the
//! first `cargo test` on a fresh clone spent most of its time linking 15 test binaries).
//! Run one group with `cargo test --test integration <module>::`, e.g. `hostile::` or
//! `e2e_tmux::`.

mod support;

mod agree_oracle;
mod architecture;
mod cli;
mod codebook_files;
mod corpus_real;
mod devset_eval;
mod e2e_integrity;
mod e2e_sample;
mod e2e_search;
mod e2e_tmux;
mod hostile;
mod html_real;
mod pdf_real;
mod refi;
mod reimport_real;
mod search_real;
mod stats_real;
mod store_durability;
mod torture;
mod tui_app;
mod tui_render;
mod tui_search;
mod wordseg_real;
