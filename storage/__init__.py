"""SQLite storage: plain functions over a sqlite-utils Database."""
