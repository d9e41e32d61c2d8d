"""Admin for the privacy app (hooks registered at import by wagtail_hooks.py)."""
