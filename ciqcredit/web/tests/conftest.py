"""Browser fixtures (chromium, live_cast, open_page) live in ciqcredit/conftest.py, shared by every app."""
