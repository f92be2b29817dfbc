"""The crawl's resolver pins the guard's check to the connection (crawler/resolver.py)."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
import yaml

from crawler import settings as project
from crawler.netguard import Refused
from crawler.resolver import GuardedResolver
from pipelines.sources import parse_source
from tests.conftest import FAST, run_arshif

# Only the resolver stands between the crawl and the address: the early middleware check is off.
NO_MIDDLEWARE_GUARD = json.dumps(
    dict(project.DOWNLOADER_MIDDLEWARES, **{"crawler.middlewares.PrivateNetworkGuard": None}))


def test_a_rebinding_name_gets_no_second_answer():
    answers = iter([["93.184.216.34"], ["127.0.0.1"]])  # public for the check, then loopback
    resolver = GuardedResolver(None, lookup=lambda host: next(answers), cache_size=0)
    assert resolver.resolve("rebind.example", 80) == ["93.184.216.34"]
    with pytest.raises(Refused, match="127.0.0.1: loopback"):
        resolver.resolve("rebind.example", 80)


def test_a_checked_answer_is_what_later_connections_get():
    answers = iter([["93.184.216.34"], ["127.0.0.1"]])
    resolver = GuardedResolver(None, lookup=lambda host: next(answers))
    assert resolver.resolve("rebind.example") == resolver.resolve("rebind.example")


def test_failed_lookups_and_mixed_answers_give_no_address():
    def again(host: str) -> list[str]:
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
    with pytest.raises(Refused, match="lookup failed"):
        GuardedResolver(None, lookup=again).resolve("news.example")
    mixed = GuardedResolver(None, lookup=lambda host: ["93.184.216.34", "::1"])
    with pytest.raises(Refused, match="::1: loopback"):
        mixed.resolve("news.example")


def test_allowance_covers_the_sources_own_host_and_port_only():
    source = parse_source({"name": "s", "title": "t", "homepage": "http://localhost:8000/",
                           "allow_private_network": True}, 0)
    resolver = GuardedResolver(None, [source])  # the real system lookup
    assert "127.0.0.1" in resolver.resolve("localhost", 8000)
    with pytest.raises(Refused, match="loopback"):
        resolver.resolve("localhost", 8001)


def _localhost_source(sites, tmp_path: Path, allow: bool) -> tuple[Path, object]:
    outlet = sites.outlets[0]
    text = yaml.safe_dump({"sources": [sites.sources()[0] | {"allow_private_network": allow}]},
                          allow_unicode=True)
    path = tmp_path / "s.yaml"
    path.write_text(text.replace("127.0.0.1", "localhost"), "utf-8")
    return path, outlet


def test_a_crawl_of_a_loopback_name_sends_nothing(sites, tmp_path):
    path, outlet = _localhost_source(sites, tmp_path, allow=False)
    before = len(outlet.hits)
    result = run_arshif("crawl", "--sources", path, "--db", tmp_path / "a.db", *FAST,
                        "-s", f"DOWNLOADER_MIDDLEWARES={NO_MIDDLEWARE_GUARD}")
    assert result.returncode == 1, result.stderr[-2000:]
    assert "Refused to connect to localhost: localhost: loopback name" in result.stderr
    assert outlet.hits[before:] == []  # not one request reached the server


def test_a_crawl_of_an_allowed_loopback_name_goes_through_the_resolver(sites, tmp_path):
    path, outlet = _localhost_source(sites, tmp_path, allow=True)
    before = len(outlet.hits)
    result = run_arshif("crawl", "--sources", path, "--db", tmp_path / "b.db", *FAST,
                        "-s", f"DOWNLOADER_MIDDLEWARES={NO_MIDDLEWARE_GUARD}")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "/robots.txt" in outlet.hits[before:]
