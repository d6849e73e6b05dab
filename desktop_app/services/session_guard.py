"""The store's door check, as the layers above may reach it (the UI imports services, never storage)."""

from desktop_app.storage.session_guard import Check, install

__all__ = ["Check", "install"]
