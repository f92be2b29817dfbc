"""The one-way layout: crawler > pipelines > archive, and no import cycle between modules."""

from __future__ import annotations

import grimp

PACKAGES = ("crawler", "pipelines", "archive")


def module_cycles(graph: grimp.ImportGraph, leave_out: frozenset[str] = frozenset()
                  ) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), i.e. import cycles."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.find_modules_directly_imported_by(node) - leave_out:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                group.append(top)
                if top == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(graph.modules - leave_out):
        if module not in index:
            visit(module)
    return found


def test_layers_import_one_way():
    graph = grimp.build_graph(*PACKAGES)
    illegal = graph.find_illegal_dependencies_for_layers(layers=PACKAGES)
    assert not illegal, [(d.importer, d.imported) for d in illegal]
    # grimp sees the real tree: each layer has modules, and the upper ones do use the lower.
    assert graph.find_children("archive") and graph.find_children("pipelines")
    assert graph.chain_exists("crawler.cli.app", "archive.schema")


def test_no_import_cycles_between_modules():
    graph = grimp.build_graph(*PACKAGES)
    # Package __init__ modules re-export their children; a child importing its package's
    # __init__ is not a design cycle, so packages are left out of the walk.
    packages = frozenset(m for m in graph.modules if graph.find_children(m))
    assert module_cycles(graph, packages) == []


def test_the_cycle_finder_finds_a_cycle():
    graph = grimp.ImportGraph()
    for name in ("a", "b", "c"):
        graph.add_module(name)
    graph.add_import(importer="a", imported="b")
    graph.add_import(importer="b", imported="c")
    assert module_cycles(graph) == []
    graph.add_import(importer="c", imported="a")
    assert module_cycles(graph) == [["a", "b", "c"]]
