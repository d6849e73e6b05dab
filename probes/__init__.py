"""Security probes too slow for `make test`: `make security` (python -m probes). Each prints probe, expected, result."""
