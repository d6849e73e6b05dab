"""Signing in and out, the lock, the first-run wizard and the main window that holds the pages."""
