"""The errors every layer may raise or catch, phrased as one line for the operator.

The store raises these (never a bare sqlite3.Error), so a face can catch them without importing
the store: see console/store/db.py for how SQLite's own errors are turned into them.
"""


class StoreError(Exception):
    """A storage problem phrased as one line for the operator."""


class NotFoundError(StoreError):
    pass


class ConflictError(StoreError):
    """Another session changed the row since this one read it."""


class DataError(StoreError):
    """SQLite refused a write's data or failed under it (a constraint, a value it cannot hold, disk I/O):
    the transaction rolled back, and only the item being written fails (an import goes on with the rest)."""


class DuplicateNoticeError(StoreError):
    """The notice looks like one already stored (same content, or the same complaint ID for the same account
    and marketplace): `nid` and `received_at` name it. Saving anyway is a deliberate second step."""

    def __init__(self, nid: int, received_at, why: str):
        self.nid, self.received_at, self.why = nid, received_at, why
        super().__init__(f"looks like #{nid}, received {received_at:%Y-%m-%d %H:%M} UTC ({why})")
