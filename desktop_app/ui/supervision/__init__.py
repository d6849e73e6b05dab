"""What supervisors and auditors do: approval, periodic review, watchlist hits, statistics, the audit log."""
