"""Keying, scanning, viewing, importing and exporting customer records, and the dual-entry screens."""
