"""Executors: move documents through `newsfacts.pipeline.process_batch`. They hold no extraction logic, and the
release bytes do not depend on which one ran (rows are sorted by id before writing)."""
