"""One explicit write transaction on an archive connection.

Archive connections are opened in autocommit mode (isolation_level=None), where Python's
`with conn:` begins nothing: every statement inside it would commit on its own, i.e. a WAL
commit per row of an executemany. Writers that change several rows use `transaction(db)`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlite_utils


@contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[None]:
    """BEGIN IMMEDIATE … COMMIT (ROLLBACK on error); joins a transaction already open."""
    if db.conn.in_transaction:
        yield
        return
    db.execute("begin immediate")
    try:
        yield
    except BaseException:
        db.conn.rollback()
        raise
    db.conn.commit()
