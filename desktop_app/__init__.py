"""Desktop KYC workstation for bank branches."""

__version__ = "0.1.0"
