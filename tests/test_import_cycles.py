"""No module imports another that imports it back, directly or through others.

The layers contract in pyproject.toml (run by `lint-imports`) says which way imports go between the
apps, and its `acyclic_siblings` contract forbids cycles between sibling packages. This test looks
at single modules, a package and its own modules included, and names every cycle it finds. Imports
inside functions and under TYPE_CHECKING count: deferring an import hides a cycle, it does not break it.
"""

from __future__ import annotations

import grimp


def import_cycles(graph: grimp.ImportGraph) -> list[str]:
    """Each direct import that is part of a cycle, with the way back, as "a -> b -> ... -> a"."""
    cycles = []
    for module in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            back = graph.find_shortest_chain(importer=imported, imported=module)
            if back is not None:
                cycles.append(" -> ".join((module, *back)))
    return cycles


def test_no_module_of_bluestone_is_in_an_import_cycle() -> None:
    graph = grimp.build_graph("bluestone", cache_dir=None)
    assert len(graph.modules) > 100  # the whole package was read
    assert import_cycles(graph) == []


def test_a_cycle_through_a_third_module_is_found() -> None:
    graph = grimp.ImportGraph()
    for module in ("pkg", "pkg.notifications", "pkg.tasks", "pkg.services", "pkg.views"):
        graph.add_module(module)
    graph.add_import(importer="pkg.notifications", imported="pkg.tasks")
    graph.add_import(importer="pkg.tasks", imported="pkg.services")
    graph.add_import(importer="pkg.services", imported="pkg.notifications")
    graph.add_import(importer="pkg.views", imported="pkg.services")

    assert import_cycles(graph) == [
        "pkg.notifications -> pkg.tasks -> pkg.services -> pkg.notifications",
        "pkg.services -> pkg.notifications -> pkg.tasks -> pkg.services",
        "pkg.tasks -> pkg.services -> pkg.notifications -> pkg.tasks",
    ]


def test_a_package_importing_its_own_module_that_imports_it_back_is_a_cycle() -> None:
    graph = grimp.ImportGraph()
    graph.add_module("pkg")
    graph.add_module("pkg.helpers")
    graph.add_import(importer="pkg", imported="pkg.helpers")
    assert import_cycles(graph) == []
    graph.add_import(importer="pkg.helpers", imported="pkg")
    assert import_cycles(graph) == ["pkg -> pkg.helpers -> pkg", "pkg.helpers -> pkg -> pkg.helpers"]
