"""Place to zone, zone to country, emergency numbers, and the time zone conversation."""
