"""Talking to Telegram: HTTP, retries, rate limiting, the per-person queue, webhook, memory."""
