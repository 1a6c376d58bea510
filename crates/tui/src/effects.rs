//! The effect interpreter: the one place a coding session writes. [`App::carry_out`] records
//! each decision of an [`Effect::Record`] through the coder's store (appended, `fdatasync`ed
//! and stamped there) before it returns, so every decision is durable before the next key is
//! read; then it runs the record's continuation. The event loop, the tests and the benchmarks
//! all drive a session through it ([`App::press`] is a key and its effects).

use crossterm::event::KeyEvent;
use polcode_core::store::StoreError;

use super::app::{App, Effect, Record};

/// Whether the session goes on after its effects were carried out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Continue,
    Quit,
}

impl App {
    /// Carries out `effects` in order; stops at [`Effect::Quit`]. Each decision is durable
    /// (or its failure shown on the status line) before this returns.
    pub fn carry_out(&mut self, effects: Vec<Effect>) -> Flow {
        for e in effects {
            match e {
                Effect::Quit => return Flow::Quit,
                Effect::Record(r) => self.record(r),
            }
        }
        Flow::Continue
    }

    /// Handles one key and carries out its effects.
    pub fn press(&mut self, key: KeyEvent) -> Flow {
        let effects = self.handle_key(key);
        self.carry_out(effects)
    }

    /// One fsync'd record per decision, in order; on an error the ones saved so far stay saved
    /// and are reported (and undoable) as the step.
    fn record(&mut self, r: Record) {
        let Record {
            decisions,
            step,
            then,
        } = r;
        let total = decisions.len();
        let mut saved = Vec::with_capacity(total);
        let mut failed = None;
        let gate = self.session.write_gate.clone();
        let held = gate.lock().unwrap_or_else(|e| e.into_inner());
        for d in decisions {
            let old = self.session.codings().get(&d.para).cloned();
            match self.session.store.record(d) {
                Ok(d) => {
                    self.apply_recorded(old.as_ref(), &d);
                    saved.push(d);
                }
                Err(e) => {
                    failed = Some(e);
                    break;
                }
            }
        }
        drop(held);
        let n = saved.len();
        self.recorded(step, then, saved);
        if let Some(e) = failed {
            self.record_failed(&e.to_string(), n, total, then);
        }
    }

    /// Ends the session: the store is compacted and its lock released, under the write gate
    /// so a signal cannot end the process half-way through.
    pub fn close(self) -> Result<(), StoreError> {
        let gate = self.session.write_gate.clone();
        let _held = gate.lock().unwrap_or_else(|e| e.into_inner());
        self.session.store.close()
    }
}
