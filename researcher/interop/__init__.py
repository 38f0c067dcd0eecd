"""Import and export: the demo notebook, and later LinkedIn CSV, OPML, vCard, JSON."""
