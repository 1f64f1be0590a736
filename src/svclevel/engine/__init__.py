"""The engine: scoring, comparison, crosswalk, diff, gates and batch runs. Returns data, never
prints."""
