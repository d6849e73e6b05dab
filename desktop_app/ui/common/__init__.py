"""Widgets and plumbing every page uses: the operation runner, data-changed events, words, focus, tables."""
