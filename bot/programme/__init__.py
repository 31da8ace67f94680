"""Back on track: the six-week self-management plan."""
