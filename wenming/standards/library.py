"""The built-in library: realistic templates shipped with the product as YAML files under `library/`."""

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import yaml

from wenming.standards.parsing import ParseResult

LIBRARY_DIR = Path(__file__).resolve().parent / "library"


@dataclass(frozen=True)
class Template:
    key: str
    name: str
    issuer: str
    description: str
    path: Path

    def parse(self) -> ParseResult:
        from wenming.standards.exchange import parse_yaml

        return parse_yaml(self.path.read_bytes(), self.path.name)

    @cached_property
    def summary(self) -> dict:
        return self.parse().summary()


def templates() -> list[Template]:
    """Every template in the package, read from disk each call (a few small files; nothing cached per process)."""
    found = []
    for path in sorted(LIBRARY_DIR.glob("*.yaml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        found.append(Template(
            key=str(document.get("key") or path.stem), name=str(document.get("name") or path.stem),
            issuer=str(document.get("issuer") or ""), description=str(document.get("description") or ""), path=path,
        ))
    return found


def get(key: str) -> Template | None:
    return next((template for template in templates() if template.key == key), None)
