"""Per-process answers to Datasette's schema questions about an immutable database.

Datasette 0.65 asks them again on every request (a table page: 11 of its 20 trips to the
SQL thread pool, ≈ 55 µs of CPU each: its columns, primary keys, foreign keys, views, its
CREATE statement…). An immutable file's schema cannot change while it is served.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any

# Datasette's Database methods that only read the schema (datasette/database.py, 0.65).
SCHEMA_METHODS = (
    "table_exists", "table_names", "view_names", "table_columns", "table_column_details",
    "primary_keys", "fts_table", "foreign_keys_for_table", "get_all_foreign_keys",
    "get_table_definition", "get_view_definition", "hidden_table_names",
)
MAX_ANSWERS = 4096  # table names come from URLs: at most this many per method, then start over


def fresh(value: Any) -> Any:
    """A copy of a list or dict answer (callers may change what they get), others as they are."""
    if isinstance(value, list):
        return [fresh(v) for v in value]
    if isinstance(value, dict):
        return {k: fresh(v) for k, v in value.items()}
    return value


def remembered(method: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    """The async method, its answer kept per arguments (a failure is not kept)."""
    answers: dict[tuple, Any] = {}

    @functools.wraps(method)
    async def ask(*args: Any, **kwargs: Any) -> Any:
        key = (args, tuple(sorted(kwargs.items())))
        if key not in answers:
            value = await method(*args, **kwargs)
            if len(answers) >= MAX_ANSWERS:
                answers.clear()
            answers[key] = value
        return fresh(answers[key])

    return ask


def remember_schema(db: Any) -> None:
    """Keep the schema answers of an immutable file database (a mutable one is left alone)."""
    if db.is_mutable or db.is_memory:
        return
    for name in SCHEMA_METHODS:
        setattr(db, name, remembered(getattr(db, name)))
