"""Check my back: the pure engine, loading and schema of the graph, result text, handlers."""
