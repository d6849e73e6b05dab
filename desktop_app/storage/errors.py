"""Errors the storage layer raises when a store cannot be opened or used; each says what to do next."""

from __future__ import annotations


class StoreError(Exception):
    """A problem with the workstation store, with a message fit for the person at the keyboard."""


class NotInitialised(StoreError):
    pass


class AlreadyInitialised(StoreError):
    pass


class KeyUnavailable(StoreError):
    """The database key cannot be had (credential store empty or refused, no passphrase)."""


class WrongKey(StoreError):
    pass


class DatabaseDamaged(StoreError):
    pass


class NewerSchema(StoreError):
    pass


class UnsafeKeyring(KeyUnavailable):
    """The OS credential store is one that does not really protect secrets."""


class StoreBusy(StoreError):
    """Another program has the database (or its key file) in use for an operation that needs it alone."""
