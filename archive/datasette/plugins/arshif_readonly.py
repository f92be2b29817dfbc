"""Datasette plugin: the archive answers GET and HEAD only; no endpoint can change anything."""

from __future__ import annotations

from datasette import hookimpl

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


@hookimpl
def asgi_wrapper(datasette):
    """Refuse POST, PUT, PATCH and DELETE with 405 before Datasette sees them."""

    def wrap(app):
        async def read_only(scope, receive, send):
            if scope.get("type") == "http" and scope.get("method", "GET") not in SAFE_METHODS:
                # Also spares Datasette 0.65's 500 on a POST to a read-only canned query.
                await send({"type": "http.response.start", "status": 405,
                            "headers": [(b"allow", b"GET, HEAD"),
                                        (b"content-type", b"text/plain; charset=utf-8")]})
                await send({"type": "http.response.body", "body": b"Method not allowed\n"})
                return
            await app(scope, receive, send)

        return read_only

    return wrap
