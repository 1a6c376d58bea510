//! Tallies, coverage, rubric scores, word frequency and agreement.
