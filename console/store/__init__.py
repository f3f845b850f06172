"""Storage: one SQLite file shared by every operator's process (see db.py)."""

from console.store.db import ConflictError, NotFoundError, Store, StoreError, open_store

__all__ = ["ConflictError", "NotFoundError", "Store", "StoreError", "open_store"]
