"""The house stands in one direction (issue 18): the import contract in pyproject.toml holds for the product code,
with no import exempt, and no app imports another app's private (underscore) names."""

import re
from pathlib import Path

import grimp
from importlinter.api import read_configuration
from importlinter.contracts.layers import LayersContract

ROOT = Path(__file__).resolve().parents[3]
PACKAGE = ROOT / "wenming"


def _is_test(module: str) -> bool:
    parts = module.split(".")
    return "tests" in parts or parts[-1] == "conftest" or parts[:2] == ["wenming", "testing"]


def test_the_layers_contract_holds_with_nothing_exempt():
    config = read_configuration(str(ROOT / "pyproject.toml"))
    contracts = [c for c in config["contracts_options"] if c["type"] == "layers"]
    assert contracts, "pyproject.toml declares the layers contract"
    graph = grimp.build_graph("wenming", cache_dir=None)
    for module in [m for m in graph.modules if _is_test(m)]:  # tests and their helpers may reach across
        graph.remove_module(module)
    for options in contracts:
        assert not options.get("ignore_imports"), "the contract lists no exempt imports"
        contract = LayersContract(name=options["name"], session_options=config["session_options"],
                                  contract_options=options)
        check = contract.check(graph, verbose=False)
        broken = [f"{route['chain'][0]['importer']} -> {route['chain'][-1]['imported']}"
                  for dependency in check.metadata.get("invalid_dependencies", [])
                  for route in dependency["routes"]] if not check.kept else []
        assert check.kept, "imports against the layers (move the code, or let the lower app be told through a " \
                           "registry — see wenming.core.events, wenming.core.trail, wenming.campaigns.extras):\n" \
                           + "\n".join(sorted(set(broken)))


PRIVATE_IMPORT = re.compile(r"^\s*from wenming\.(\w+)(\.[\w.]+)? import (\([^)]*\)|[^\n]+)", re.MULTILINE)


def test_no_app_imports_another_apps_private_names():
    found = []
    for path in PACKAGE.rglob("*.py"):
        here = path.relative_to(PACKAGE).parts[0]
        for match in PRIVATE_IMPORT.finditer(path.read_text(encoding="utf-8")):
            app, names = match.group(1), match.group(3)
            if app == here:
                continue
            if any(name.strip().split(" as ")[0].startswith("_") for name in names.strip("()").replace("\n", " ").split(",")):
                found.append(f"{path.relative_to(ROOT)}: {match.group(0).strip()}")
    assert not found, "private names used across apps (make them public where they belong):\n" + "\n".join(found)
