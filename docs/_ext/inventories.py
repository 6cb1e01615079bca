"""The other libraries' documentation the site links to, and ``nox -s inventories``.

A name of numpy, matplotlib, seaborn or scikit-learn in a lesson's code (``plt.show``,
``PCA``) or in the API pages' types (``numpy.ndarray``) links to that library's own page,
through intersphinx. Intersphinx reads each library's *inventory* (its Sphinx
``objects.inv``: every documented name and its address). The inventories are kept in
``docs/_intersphinx/``, with ``sources.json`` saying where each came from and its SHA-256,
so a build needs no network and reads no file it has not checked.

``nox -s inventories`` refreshes them (commit the result):

``--from site`` (the default)
    each library's ``objects.inv`` from its documentation site, the one the links point at;
``--from debian``
    where only the package registries are reachable (our CI machines): the inventory inside
    the documentation package Debian builds from the same release's sources (numpy,
    matplotlib, scikit-learn). Its pages have the same addresses as the library's site.
    Seaborn has no such package: its committed inventory is kept, and the session says so.

Examples
--------
>>> library("sklearn").inventory_url
'https://scikit-learn.org/stable/objects.inv'
>>> inventory = read_inventory(encode_inventory("demo", "1.0", {"demo.f": "api.html#$"}))
>>> inventory.project, inventory.version, inventory.objects["demo.f"]
('demo', '1.0', 'api.html#demo.f')
"""

from __future__ import annotations

import argparse
import ast
import datetime
import hashlib
import io
import json
import lzma
import os
import re
import sys
import tarfile
import urllib.error
import urllib.request
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

INVENTORY_DIR = Path(__file__).resolve().parents[1] / "_intersphinx"
SOURCES = "sources.json"

#: Debian's development suite: its documentation packages follow the libraries' releases
#: most closely (the stable suite's are years old).
DEBIAN_SUITE = "sid"
DEBIAN_MIRROR = "https://deb.debian.org/debian"


@dataclass(frozen=True)
class Library:
    """A library the site links to.

    ``name`` is the intersphinx key and the inventory's file name; ``project`` the name the
    inventory gives itself; ``sample`` a name it must hold (a check that a download is this
    library's inventory); ``debian_package`` Debian's package of its documentation, if any.
    """

    name: str
    project: str
    docs_url: str
    sample: str
    debian_package: str | None

    @property
    def inventory_url(self) -> str:
        return self.docs_url + "objects.inv"

    @property
    def path(self) -> Path:
        return INVENTORY_DIR / f"{self.name}.inv"


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


def library(name: str) -> Library:
    """The library called ``name`` (its intersphinx key)."""
    for known in LIBRARIES:
        if known.name == name:
            return known
    raise InventoryError(
        f"no library {name!r} among the site's inventories; "
        f"the known ones are {', '.join(lib.name for lib in LIBRARIES)}"
    )


def library_names(code: str) -> set[str]:
    """The full names of the libraries' objects that Python ``code`` imports or uses.

    Examples
    --------
    >>> sorted(library_names("import matplotlib.pyplot as plt\\nplt.show()"))
    ['matplotlib.pyplot.show']
    >>> sorted(library_names("from sklearn.decomposition import PCA"))
    ['sklearn.decomposition.PCA']
    """
    tops = {lib.name for lib in LIBRARIES}
    tree = ast.parse(code)
    aliases, names = {}, set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in tops:
                    aliases[alias.asname or alias.name] = alias.name
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in tops:
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if node.value.id in aliases:
                names.add(f"{aliases[node.value.id]}.{node.attr}")
    return names


# --- Reading and checking ------------------------------------------------------------------


@dataclass(frozen=True)
class Inventory:
    """An inventory's header and its Python objects (name -> address relative to the site)."""

    project: str
    version: str
    objects: dict[str, str]


def read_inventory(data: bytes) -> Inventory:
    """Read a Sphinx inventory (version 2: four header lines, then zlib-compressed entries)."""
    lines = data.split(b"\n", 4)
    if len(lines) < 5 or lines[0].rstrip() != b"# Sphinx inventory version 2":
        raise InventoryError("not a Sphinx inventory (version 2): its first line is wrong")
    project = lines[1].decode("utf-8").removeprefix("# Project: ").strip()
    version = lines[2].decode("utf-8").removeprefix("# Version: ").strip()
    try:
        body = zlib.decompress(lines[4]).decode("utf-8")
    except (zlib.error, UnicodeDecodeError) as error:
        raise InventoryError(f"the inventory's entries do not decompress: {error}") from None
    objects = {}
    entry = re.compile(r"(.+?)\s+(py:\S+)\s+(-?\d+)\s+(\S*)\s+(.*)")
    for line in body.splitlines():
        match = entry.fullmatch(line.rstrip())
        if match:
            name, _, _, uri, _ = match.groups()
            objects[name] = uri[:-1] + name if uri.endswith("$") else uri
    return Inventory(project, version, objects)


def encode_inventory(project: str, version: str, objects: dict[str, str]) -> bytes:
    """A Sphinx inventory of ``objects`` (name -> address), as Sphinx writes one; for tests."""
    body = "".join(f"{name} py:function 1 {uri} -\n" for name, uri in objects.items())
    header = (
        f"# Sphinx inventory version 2\n# Project: {project}\n# Version: {version}\n"
        "# The remainder of this file is compressed using zlib.\n"
    )
    return header.encode() + zlib.compress(body.encode())


def checked(lib: Library, data: bytes) -> Inventory:
    """``data`` read as ``lib``'s inventory; an error says why it is not."""
    try:
        inventory = read_inventory(data)
    except InventoryError as error:
        raise InventoryError(f"{lib.name}: {error}") from None
    if inventory.project != lib.project:
        raise InventoryError(
            f"{lib.name}: the inventory is of {inventory.project}, not of {lib.project}"
        )
    if lib.sample not in inventory.objects:
        raise InventoryError(f"{lib.name}: the inventory has no {lib.sample}")
    return inventory


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def recorded_sources(directory: Path = INVENTORY_DIR) -> dict[str, dict[str, str]]:
    """What ``sources.json`` records of each inventory (where from, when, its SHA-256)."""
    path = directory / SOURCES
    if not path.is_file():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def intersphinx_mapping(directory: Path = INVENTORY_DIR) -> dict[str, tuple[str, str]]:
    """``intersphinx_mapping`` for ``docs/conf.py``: each library's site and committed file.

    Each file is checked against its SHA-256 in ``sources.json`` first: the build reads
    only the inventories ``nox -s inventories`` wrote, and never downloads one.
    """
    sources = recorded_sources(directory)
    mapping = {}
    for lib in LIBRARIES:
        path = directory / f"{lib.name}.inv"
        if not path.is_file() or lib.name not in sources:
            raise InventoryError(
                f"{path} or its entry in {directory / SOURCES} is missing; "
                "run `nox -s inventories` (or `git checkout docs/_intersphinx`)"
            )
        if _sha256(path.read_bytes()) != sources[lib.name]["sha256"]:
            raise InventoryError(
                f"{path} is not the file `nox -s inventories` wrote (its SHA-256 differs from "
                f"{SOURCES}); restore it with `git checkout docs/_intersphinx/{path.name}` "
                "or run `nox -s inventories`"
            )
        mapping[lib.name] = (lib.docs_url, str(path))
    return mapping


# --- Downloading ---------------------------------------------------------------------------

Fetch = Callable[[str], bytes]


def download(url: str) -> bytes:
    """The bytes at ``url`` (HTTPS); an error names the address and what went wrong."""
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.read()
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise InventoryError(f"could not download {url}: {reason}") from None


def from_site(lib: Library, fetch: Fetch = download) -> tuple[bytes, str]:
    """``lib``'s inventory from its documentation site, and where it came from."""
    return fetch(lib.inventory_url), lib.inventory_url


def _debian_entry(packages_index: str, package: str) -> dict[str, str]:
    """The fields of ``package``'s entry in a Debian ``Packages`` index (the last, if several)."""
    found = None
    for stanza in packages_index.split("\n\n"):
        fields = dict(
            line.split(": ", 1) for line in stanza.splitlines() if ": " in line and line[0] != " "
        )
        if fields.get("Package") == package:
            found = fields
    if found is None or not {"Filename", "SHA256", "Version"} <= found.keys():
        raise InventoryError(f"Debian {DEBIAN_SUITE} has no package {package}")
    return found


def _ar_members(archive: bytes) -> dict[str, bytes]:
    """The members of an ``ar`` archive (a ``.deb`` is one)."""
    if not archive.startswith(b"!<arch>\n"):
        raise InventoryError("not a Debian package (no ar archive header)")
    members, offset = {}, 8
    while offset + 60 <= len(archive):
        header = archive[offset : offset + 60]
        name = header[:16].decode("ascii").strip().rstrip("/")
        size = int(header[48:58].decode("ascii").strip())
        members[name] = archive[offset + 60 : offset + 60 + size]
        offset += 60 + size + (size % 2)
    return members


def inventory_in_deb(deb: bytes) -> bytes:
    """The one ``usr/share/doc/*/html/objects.inv`` inside a Debian package."""
    data = next(
        (v for k, v in _ar_members(deb).items() if k.startswith("data.tar")),
        None,
    )
    if data is None:
        raise InventoryError("the Debian package has no data.tar member")
    pattern = re.compile(r"(\./)?usr/share/doc/[^/]+/html/objects\.inv")
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:*") as tar:
        for member in tar:
            if member.isfile() and pattern.fullmatch(member.name):
                return tar.extractfile(member).read()
    raise InventoryError("the Debian package holds no usr/share/doc/*/html/objects.inv")


def from_debian(lib: Library, fetch: Fetch = download) -> tuple[bytes, str]:
    """``lib``'s inventory from Debian's documentation package, and where it came from.

    The package is checked against the SHA-256 that Debian's index (fetched over HTTPS)
    gives for it.
    """
    index_url = f"{DEBIAN_MIRROR}/dists/{DEBIAN_SUITE}/main/binary-all/Packages.xz"
    index = lzma.decompress(fetch(index_url)).decode("utf-8")
    entry = _debian_entry(index, lib.debian_package)
    url = f"{DEBIAN_MIRROR}/{entry['Filename']}"
    deb = fetch(url)
    if _sha256(deb) != entry["SHA256"]:
        raise InventoryError(f"{url} is not the file Debian's index describes (SHA-256 differs)")
    return inventory_in_deb(deb), url


# --- Refreshing ----------------------------------------------------------------------------


def refresh(
    source: str,
    names: list[str] | None = None,
    fetch: Fetch | None = None,
    directory: Path = INVENTORY_DIR,
    today: datetime.date | None = None,
) -> list[str]:
    """Download, check and write the inventories; the lines that say what changed.

    A file is replaced only by a checked inventory of the same library, and ``sources.json``
    records where it came from. A library ``source`` cannot provide (seaborn from Debian)
    keeps its committed file. ``fetch`` downloads an address (default: :func:`download`).
    """
    fetch = fetch or download
    directory.mkdir(parents=True, exist_ok=True)
    sources = recorded_sources(directory)
    report = []
    for lib in [library(name) for name in names] if names else LIBRARIES:
        old = sources.get(lib.name)
        before = f"{old['project']} {old['version']}" if old else "none"
        if source == "debian" and lib.debian_package is None:
            kept = f"{before}, from {old['source']}" if old else "none"
            report.append(f"{lib.name}: Debian has no documentation package; kept ({kept})")
            continue
        data, origin = (from_debian if source == "debian" else from_site)(lib, fetch)
        inventory = checked(lib, data)
        path = directory / f"{lib.name}.inv"
        partial = path.with_suffix(".inv.partial")
        partial.write_bytes(data)
        os.replace(partial, path)
        sources[lib.name] = {
            "project": inventory.project,
            "version": inventory.version,
            "source": origin,
            "retrieved": (today or datetime.date.today()).isoformat(),
            "sha256": _sha256(data),
        }
        (directory / SOURCES).write_text(
            json.dumps(sources, indent=2, sort_keys=True) + "\n", encoding="utf-8"
        )
        report.append(
            f"{lib.name}: {before} -> {inventory.project} {inventory.version}, "
            f"{len(inventory.objects)} Python names, from {origin}"
        )
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="nox -s inventories --",
        description="Refresh the intersphinx inventories in docs/_intersphinx (commit them).",
    )
    parser.add_argument(
        "--from",
        dest="source",
        choices=("site", "debian"),
        default="site",
        help="the libraries' documentation sites (default), or Debian's documentation "
        "packages where only the package registries are reachable",
    )
    parser.add_argument(
        "--only",
        default="",
        help="comma-separated libraries to refresh (default: all of "
        + ", ".join(lib.name for lib in LIBRARIES)
        + ")",
    )
    args = parser.parse_args(argv)
    names = [name.strip() for name in args.only.split(",") if name.strip()] or None
    try:
        for line in refresh(args.source, names):
            print(line)
    except InventoryError as error:
        print(f"error: {error}", file=sys.stderr)
        if args.source == "site" and "could not download" in str(error):
            print(
                "Where only the package registries are reachable, "
                "`nox -s inventories -- --from debian` takes numpy's, matplotlib's and "
                "scikit-learn's inventories from Debian's documentation packages.",
                file=sys.stderr,
            )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
