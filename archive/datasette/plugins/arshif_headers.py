"""Datasette plugin: nosniff and a restrictive Content-Security-Policy on every response."""

from __future__ import annotations

import base64
import hashlib
import re
from functools import cache
from pathlib import Path

import datasette as datasette_package
from datasette import hookimpl

from archive.datasette.meta import HERE

# An inline script with no attributes: Datasette's templates write a few (close the open menus,
# the facet switch in table.html, the SQL editor's set-up). Each is allowed by its hash, so no
# other inline script (an injected one) can run.
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)
# The one template expression inside an inline script: table.html's facet switch.
_ALLOW_FACET = "{{ datasette_allow_facet }}"


def script_hashes(template_dirs: list[Path]) -> list[str]:
    """CSP sources ('sha256-…') for every static inline script in these template folders."""
    hashes: set[str] = set()
    for folder in template_dirs:
        for path in sorted(folder.glob("*.html")):
            for body in _INLINE_SCRIPT.findall(path.read_text("utf-8")):
                variants = [body.replace(_ALLOW_FACET, v) for v in ("true", "false")]
                for text in variants:
                    if "{{" in text or "{%" in text:
                        continue  # rendered per request: not allowed (none in Datasette 0.65)
                    digest = hashlib.sha256(text.encode("utf-8")).digest()
                    hashes.add(f"'sha256-{base64.b64encode(digest).decode()}'")
    return sorted(hashes)


@cache
def content_security_policy() -> str:
    """The policy: same-origin everything, inline styles, and only the known inline scripts."""
    templates = [Path(datasette_package.__file__).parent / "templates", HERE / "templates"]
    scripts = " ".join(["'self'", *script_hashes(templates)])
    return "; ".join([
        "default-src 'self'", f"script-src {scripts}", "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:", "connect-src 'self'", "frame-ancestors 'none'",
        "base-uri 'none'", "form-action 'self'", "object-src 'none'",
    ])


def with_security_headers(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """The response's headers plus nosniff and the CSP, unless it set its own (a stricter one)."""
    present = {name.lower() for name, _ in headers}
    extra = []
    if b"x-content-type-options" not in present:
        extra.append((b"x-content-type-options", b"nosniff"))
    if b"content-security-policy" not in present:
        extra.append((b"content-security-policy", content_security_policy().encode()))
    return [*headers, *extra]


@hookimpl(trylast=True)
def asgi_wrapper(datasette):
    """Add the headers to every HTTP response start, whatever view or error produced it."""

    # trylast: applied after the other wrappers, so it also covers their own answers (405s).
    def wrap(app):
        async def secured(scope, receive, send):
            if scope.get("type") != "http":
                return await app(scope, receive, send)

            async def send_secured(message):
                if message.get("type") == "http.response.start":
                    message = {**message, "headers": with_security_headers(
                        list(message.get("headers") or []))}
                await send(message)

            return await app(scope, receive, send_secured)

        return secured

    return wrap
