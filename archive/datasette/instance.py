"""ArshifDatasette: Datasette that remembers per process what an immutable archive never changes.

Two things Datasette 0.65 recomputes on every request (bench/README.md, "Load"):

- an anonymous visitor's permission checks, 7–10 a page (view-instance, view-database,
  view-table…): each view-table check runs a query on a thread to fold the table name's case
  and deep-copies every metadata source (≈ 0.27 ms each). When every database is immutable and
  the metadata is fixed, the answer for (action, resource) never changes, so it is kept.
- the schema of each immutable database (archive/datasette/introspection.py) and the
  internal catalogue of it (`refresh_schemas`: a PRAGMA on the SQL thread each request);
- the Jinja templates, compiled by each worker at its first request of each page kind
  (≈ 20 ms a template): `precompile_templates` compiles them all at startup instead, and does
  not check the template files for changes at every render.
"""

from __future__ import annotations

from typing import Any

from datasette.app import Datasette

from archive.datasette.introspection import remember_schema

# Distinct (action, resource, default) answers kept; resources come from URLs, so it is bounded.
MAX_PERMISSIONS = 4096


class ArshifDatasette(Datasette):
    """Datasette with cached anonymous permission answers and optional template precompiling."""

    precompile_templates = False  # build_datasette(precompile_templates=True): `arshif serve`

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._anonymous_permissions: dict[tuple[str, Any, Any], Any] = {}
        self._schemas_of: frozenset[str] | None = None  # the databases refresh_schemas read

    def add_database(self, db, name=None, route=None):
        """Datasette's, and an immutable database's schema answers are kept (introspection)."""
        remember_schema(db)
        return super().add_database(db, name, route)

    async def refresh_schemas(self) -> None:
        """Datasette's, once for a set of databases that are all immutable (it runs every
        request to notice schema changes, which such databases cannot have)."""
        if self._schemas_of is not None and self._schemas_of == frozenset(self.databases):
            return
        await super().refresh_schemas()
        if self.fixed_permissions():
            self._schemas_of = frozenset(self.databases)

    def fixed_permissions(self) -> bool:
        """True when no database can change under the server (every file one is immutable)."""
        files = [db for db in self.databases.values() if not db.is_memory]
        return bool(files) and not any(db.is_mutable for db in files)

    async def permission_allowed(self, actor, action, resource=None, default=False):
        """Datasette's answer; an anonymous one is computed once per (action, resource, default)
        when the databases are immutable (no entry in /-/permissions for a remembered answer)."""
        if actor is not None or not self.fixed_permissions():
            return await super().permission_allowed(actor, action, resource, default)
        key = (action, tuple(resource) if isinstance(resource, list) else resource, default)
        try:
            return self._anonymous_permissions[key]
        except KeyError:
            pass
        except TypeError:  # an unhashable resource: not remembered
            return await super().permission_allowed(actor, action, resource, default)
        result = await super().permission_allowed(actor, action, resource, default)
        if len(self._anonymous_permissions) >= MAX_PERMISSIONS:
            self._anonymous_permissions.clear()
        self._anonymous_permissions[key] = result
        return result

    async def invoke_startup(self) -> None:
        """Datasette's startup, then (if asked) compile every template once."""
        first = not self._startup_invoked
        await super().invoke_startup()
        if first and self.precompile_templates:
            for name in self.jinja_env.list_templates(extensions=["html"]):
                self.jinja_env.get_template(name)
            self.jinja_env.auto_reload = False  # served templates do not change either
