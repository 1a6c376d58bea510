//! Exports: CSV, Markdown, JSON, REFI-QDA, SVG charts.
