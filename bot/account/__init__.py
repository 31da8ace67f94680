"""Start and consent, settings, privacy, admin."""
