"""The crawl's DNS resolver: the private-network guard applied where the address is chosen.

PrivateNetworkGuard (crawler/middlewares.py) looks a name up to refuse a request early, but the
downloader would look it up again and connect to whatever that second answer says (DNS
rebinding: public for the check, 127.0.0.1 for the connection). Installed as Scrapy's
TWISTED_DNS_RESOLVER, this resolver is the lookup the connection uses: it hands Twisted only
addresses crawler/netguard.py accepted, and none at all (a DNS error) for a host with a
non-public address or a failed lookup. Hosts of sources with allow_private_network are exempt.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Sequence
from typing import Any

from twisted.internet.address import IPv4Address, IPv6Address
from twisted.internet.defer import Deferred
from twisted.internet.interfaces import (
    IAddress,
    IHostnameResolver,
    IHostResolution,
    IResolutionReceiver,
)
from twisted.internet.threads import deferToThreadPool
from zope.interface import implementer

from crawler.netguard import Refused, Resolver, checked_addresses, system_resolver
from pipelines.sources import Source, sources_from_settings

logger = logging.getLogger(__name__)

# Sources whose crawls run in this process, registered by each crawl's PrivateNetworkGuard: the
# reactor's one resolver is built from the process settings, before `scrapy crawl -a sources=`
# has told the spider which file to read.
_crawl_sources: list[Source] = []


def allow_sources(sources: Sequence[Source]) -> None:
    """Let the resolver give these sources' own hosts private addresses (if they allow it)."""
    _crawl_sources.extend(s for s in sources if s.allow_private_network)


@implementer(IHostnameResolver)
class GuardedResolver:
    """Resolve names in a thread and pass on only the addresses the guard checked."""

    def __init__(self, reactor: Any, allowed: Sequence[Source] = (),
                 lookup: Resolver = system_resolver, cache_size: int = 10000) -> None:
        self.reactor = reactor
        self.allowed = [s for s in allowed if s.allow_private_network]
        self.lookup = lookup
        self.cache_size = cache_size
        self._cache: dict[str, list[str]] = {}  # checked answers only; failures are retried

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: Any) -> GuardedResolver:
        """Built by Scrapy with the process's settings: the sources say who may be private."""
        settings = crawler.settings
        if not settings.get("ARSHIF_SOURCES"):
            from crawler.sources import default_sources_path

            settings = settings.copy()
            settings.set("ARSHIF_SOURCES", default_sources_path())
        try:
            sources = list(sources_from_settings(settings).values())
        except Exception:  # noqa: BLE001 - the spider reports a bad file; allow nobody here
            sources = []
        size = settings.getint("DNSCACHE_SIZE") if settings.getbool("DNSCACHE_ENABLED") else 0
        return cls(reactor, sources, cache_size=size)

    def install_on_reactor(self) -> None:
        """Make this the reactor's resolver for every hostname connection."""
        self.reactor.installNameResolver(self)

    def _exempt(self, host: str, port: int) -> bool:
        url = f"http://{host}:{port}/" if port else f"http://{host}/"
        return any(s.owns(url) for s in [*self.allowed, *_crawl_sources])

    def resolve(self, host: str, port: int = 0) -> list[str]:
        """The addresses to connect to for host (blocking); Refused when there are none."""
        if host in self._cache:
            return self._cache[host]
        if self._exempt(host, port):
            addresses = sorted(set(self.lookup(host.rstrip("."))))
            if not addresses:
                raise Refused(f"{host}: no address")
        else:
            addresses = checked_addresses(host, self.lookup)
            if self.cache_size and len(self._cache) < self.cache_size:
                self._cache[host] = addresses  # an exempt host is not cached: ports differ
        return addresses

    def resolveHostName(  # noqa: N802 - Twisted's interface
        self, resolutionReceiver: IResolutionReceiver, hostName: str, portNumber: int = 0,
        addressTypes: Sequence[type[IAddress]] | None = None, transportSemantics: str = "TCP",
    ) -> _Resolution:
        """Look hostName up off the reactor thread and report only checked addresses."""
        receiver = resolutionReceiver
        resolution = _Resolution(hostName)

        async def run() -> None:
            receiver.resolutionBegan(resolution)
            try:
                addresses = await deferToThreadPool(
                    self.reactor, self.reactor.getThreadPool(), self.resolve, hostName,
                    portNumber)
            except (Refused, OSError) as exc:
                # No address: Twisted's endpoint fails with DNSLookupError, nothing is sent.
                logger.warning("Refused to connect to %s: %s", hostName, exc)
                addresses = []
            for address in addresses:
                ip = ipaddress.ip_address(address.split("%", 1)[0])
                if ip.version == 4 and (addressTypes is None or IPv4Address in addressTypes):
                    receiver.addressResolved(IPv4Address("TCP", address, portNumber))
                elif ip.version == 6 and (addressTypes is None or IPv6Address in addressTypes):
                    receiver.addressResolved(IPv6Address("TCP", address, portNumber))
            receiver.resolutionComplete()

        Deferred.fromCoroutine(run())
        return resolution


@implementer(IHostResolution)
class _Resolution:
    """The IHostResolution of one lookup (cancelling is not supported, as in Scrapy's)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def cancel(self) -> None:
        """Not supported."""
        raise NotImplementedError
