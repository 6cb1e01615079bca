"""The other libraries' inventories the site links to: checked before a build, and refreshed.

Sphinx's ``intersphinx_mapping`` reads each library's inventory (``objects.inv``) from a
local file; no option checks that the file is the one recorded, nor refreshes it where only
the package registries are reachable. The inventories live in ``docs/_intersphinx/`` with
``sources.json`` (where each came from, when, its SHA-256): a build reads no file it has
not checked, and needs no network. ``nox -s inventories`` refreshes them (commit them):

``--from site`` (the default)
    each library's ``objects.inv`` from its documentation site, the one the links point at;
``--from debian``
    where only the package registries are reachable: the inventory in the documentation
    package Debian builds from the same release (``apt-get download``); seaborn has none,
    and its committed inventory is kept.

"""

from __future__ import annotations

import argparse
import ast
import datetime
import hashlib
import json
import re
import subprocess
import sys
import tempfile
import urllib.request
import zlib
from dataclasses import dataclass
from pathlib import Path

INVENTORY_DIR = Path(__file__).resolve().parents[1] / "_intersphinx"
SOURCES = "sources.json"


@dataclass(frozen=True)
class Library:
    """A library the site links to: its intersphinx key, the project its inventory names, its
    documentation's address, a name the inventory must hold, and Debian's package of it."""

    name: str
    project: str
    docs_url: str
    sample: str
    debian_package: str | None


LIBRARIES = (
    Library("numpy", "NumPy", "https://numpy.org/doc/stable/", "numpy.ndarray", "python-numpy-doc"),
    Library(
        "matplotlib",
        "Matplotlib",
        "https://matplotlib.org/stable/",
        "matplotlib.pyplot.show",
        "python-matplotlib-doc",
    ),
    Library("seaborn", "seaborn", "https://seaborn.pydata.org/", "seaborn.jointplot", None),
    Library(
        "sklearn",
        "scikit-learn",
        "https://scikit-learn.org/stable/",
        "sklearn.decomposition.PCA",
        "python-sklearn-doc",
    ),
)


class InventoryError(RuntimeError):
    """An inventory that is missing, changed since it was recorded, or not the one expected."""


@dataclass(frozen=True)
class Inventory:
    project: str
    version: str
    objects: dict[str, str]  # Python name -> address relative to the library's site


def read_inventory(data: bytes) -> Inventory:
    """Read a Sphinx inventory (version 2: four header lines, then zlib-compressed entries)."""
    lines = data.split(b"\n", 4)
    if len(lines) < 5 or lines[0].rstrip() != b"# Sphinx inventory version 2":
        raise InventoryError("not a Sphinx inventory (version 2): its first line is wrong")
    project, version = (lines[i].decode().split(": ", 1)[-1].strip() for i in (1, 2))
    try:
        body = zlib.decompress(lines[4]).decode("utf-8")
    except (zlib.error, UnicodeDecodeError) as error:
        raise InventoryError(f"its entries do not decompress: {error}") from None
    objects = {}
    for match in re.finditer(r"^(.+?)\s+py:\S+\s+-?\d+\s+(\S*)\s", body, flags=re.M):
        name, uri = match.groups()
        objects[name] = uri[:-1] + name if uri.endswith("$") else uri
    return Inventory(project, version, objects)


def checked(lib: Library, data: bytes) -> Inventory:
    """``data`` read as ``lib``'s inventory; an error says why it is not."""
    try:
        inventory = read_inventory(data)
    except InventoryError as error:
        raise InventoryError(f"{lib.name}: {error}") from None
    if inventory.project != lib.project or lib.sample not in inventory.objects:
        found = f"{inventory.project}'s inventory, without {lib.sample}"
        raise InventoryError(f"{lib.name}: this is {found}")
    return inventory


def library_names(code: str) -> set[str]:
    """The full names of the libraries' objects that Python ``code`` imports or uses.

    >>> sorted(library_names("import numpy as np\\nnp.linalg.norm(np.ones(2))"))
    ['numpy.linalg.norm', 'numpy.ones']
    """
    tops = {lib.name for lib in LIBRARIES}
    aliases, names = {}, set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Import):
            ours = [a for a in node.names if a.name.split(".")[0] in tops]
            aliases |= {a.asname or a.name: a.name for a in ours}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in tops:
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    tree = ast.parse(code)
    inner = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute) or id(node) in inner:
            continue  # the whole chain, np.linalg.norm, is the name: not np.linalg
        chain = []
        while isinstance(node, ast.Attribute):
            chain.insert(0, node.attr)
            node = node.value
        if getattr(node, "id", None) in aliases:
            names.add(".".join([aliases[node.id], *chain]))
    return names


def intersphinx_mapping(directory: Path = INVENTORY_DIR) -> dict[str, tuple[str, str]]:
    """``intersphinx_mapping`` for ``conf.py``: each library's site and its committed file,
    checked against its SHA-256 in ``sources.json`` first."""
    path = directory / SOURCES
    sources = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    mapping = {}
    for lib in LIBRARIES:
        inventory = directory / f"{lib.name}.inv"
        if not inventory.is_file() or lib.name not in sources:
            raise InventoryError(
                f"{inventory} or its entry in {path} is missing; run `nox -s inventories` "
                "(or `git checkout docs/_intersphinx`)"
            )
        if hashlib.sha256(inventory.read_bytes()).hexdigest() != sources[lib.name]["sha256"]:
            raise InventoryError(
                f"{inventory} is not the file `nox -s inventories` wrote (its SHA-256 differs "
                f"from {SOURCES}); restore it with `git checkout docs/_intersphinx/"
                f"{inventory.name}` or run `nox -s inventories`"
            )
        mapping[lib.name] = (lib.docs_url, str(inventory))
    return mapping


#: Debian's development suite: its documentation packages follow the libraries' releases
#: most closely (a stable suite's are years old). apt reads it into a folder of its own.
DEBIAN_SOURCE = "deb https://deb.debian.org/debian sid main"


def _from_debian(lib: Library) -> tuple[bytes, str]:
    """The inventory in Debian's documentation package of ``lib``, and where it came from."""
    with tempfile.TemporaryDirectory() as tmp:

        def run(*command: str, given: bytes | None = None) -> bytes:
            done = subprocess.run(command, input=given, cwd=tmp, capture_output=True, check=True)
            return done.stdout

        Path(tmp, "sources.list").write_text(DEBIAN_SOURCE + "\n")
        for folder in ("lists/partial", "cache/archives/partial"):
            Path(tmp, folder).mkdir(parents=True)
        apt = ["apt-get", "-qq", "-o", f"Dir::Etc::SourceList={tmp}/sources.list"]
        apt += ["-o", "Dir::Etc::SourceParts=-", "-o", f"Dir::State::Lists={tmp}/lists"]
        apt += ["-o", f"Dir::Cache={tmp}/cache", "-o", "Debug::NoLocking=1"]
        run(*apt, "update")
        run(*apt, "download", lib.debian_package)
        (deb,) = Path(tmp).glob("*.deb")
        archive = run("dpkg-deb", "--fsys-tarfile", str(deb))
        members = run("tar", "-t", given=archive).decode().split()
        member = next(name for name in members if name.endswith("/html/objects.inv"))
        return run("tar", "-xO", member, given=archive), f"Debian sid's {deb.name}"


def main(argv: list[str] | None = None) -> int:
    """``nox -s inventories [-- --from debian] [--only numpy,sklearn]``."""
    parser = argparse.ArgumentParser(prog="nox -s inventories --")
    parser.add_argument("--from", dest="origin", choices=("site", "debian"), default="site")
    parser.add_argument("--only", help="comma-separated libraries (default: all)")
    options = parser.parse_args(argv)
    wanted = set(options.only.split(",")) if options.only else {lib.name for lib in LIBRARIES}
    path = INVENTORY_DIR / SOURCES
    sources = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    for lib in (lib for lib in LIBRARIES if lib.name in wanted):
        if options.origin == "debian" and lib.debian_package is None:
            print(f"{lib.name}: Debian has no documentation package; kept")
            continue
        try:
            if options.origin == "site":
                data = urllib.request.urlopen(lib.docs_url + "objects.inv", timeout=60).read()
                origin = lib.docs_url + "objects.inv"
            else:
                data, origin = _from_debian(lib)
            inventory = checked(lib, data)
        except (OSError, subprocess.CalledProcessError, StopIteration, InventoryError) as error:
            print(f"error: {lib.name} from {options.origin}: {error}", file=sys.stderr)
            if options.origin == "site":
                print("Only the package registries reachable? --from debian", file=sys.stderr)
            return 1
        (INVENTORY_DIR / f"{lib.name}.inv").write_bytes(data)
        sources[lib.name] = {
            "project": inventory.project,
            "version": inventory.version,
            "source": origin,
            "retrieved": datetime.date.today().isoformat(),
            "sha256": hashlib.sha256(data).hexdigest(),
        }
        names = len(inventory.objects)
        print(f"{lib.name}: {inventory.project} {inventory.version}, {names} names, from {origin}")
    path.write_text(json.dumps(sources, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
