"""Red flags in typed words, and the clinical hazard log."""
