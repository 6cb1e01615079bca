"""The inventories the site's links to numpy, matplotlib, seaborn and scikit-learn come from
(docs/_ext/inventories.py, docs/_intersphinx), and `nox -s inventories`, which refreshes them.

The links themselves are checked in the built site (tests/site/test_library_links.py).
"""

from __future__ import annotations

import datetime
import doctest
import hashlib
import io
import json
import lzma
import shutil
import sys
import tarfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "docs" / "_ext"))

import inventories  # noqa: E402
from inventories import (  # noqa: E402
    LIBRARIES,
    InventoryError,
    encode_inventory,
    inventory_in_deb,
    library,
    read_inventory,
    refresh,
)


def test_the_examples_in_the_docstrings_hold():
    failed, tried = doctest.testmod(inventories)
    assert tried >= 5 and failed == 0


def test_the_committed_inventories_are_the_recorded_ones_of_the_right_libraries():
    mapping = inventories.intersphinx_mapping()
    sources = inventories.recorded_sources()
    assert sorted(mapping) == ["matplotlib", "numpy", "seaborn", "sklearn"]
    for lib in LIBRARIES:
        url, path = mapping[lib.name]
        assert url == lib.docs_url and url.startswith("https://") and url.endswith("/")
        assert Path(path) == lib.path and lib.path.is_file()  # a file: no download at build
        inventory = inventories.checked(lib, lib.path.read_bytes())
        assert inventory.version == sources[lib.name]["version"]
        assert sources[lib.name]["source"].startswith("https://")
        datetime.date.fromisoformat(sources[lib.name]["retrieved"])
        assert len(inventory.objects) > 150, f"{lib.name}: {len(inventory.objects)} names"


def test_every_library_name_the_lessons_use_is_in_its_inventory():
    """What a lesson calls of numpy, matplotlib, seaborn or scikit-learn can link to its page."""
    inventory = {lib.name: read_inventory(lib.path.read_bytes()).objects for lib in LIBRARIES}
    used = set()
    for lesson in sorted((REPO / "examples").glob("plot_*.py")):
        used |= inventories.library_names(lesson.read_text(encoding="utf-8"))
    assert {"matplotlib.pyplot.show", "sklearn.decomposition.PCA"} <= used
    missing = sorted(name for name in used if name not in inventory[name.split(".")[0]])
    assert not missing, f"names the lessons use that their libraries' inventories lack: {missing}"


def _copy_of_the_inventories(tmp_path: Path) -> Path:
    directory = tmp_path / "_intersphinx"
    shutil.copytree(inventories.INVENTORY_DIR, directory)
    return directory


def test_a_changed_or_missing_inventory_stops_the_build_with_what_to_do(tmp_path):
    directory = _copy_of_the_inventories(tmp_path)
    (directory / "numpy.inv").write_bytes(encode_inventory("NumPy", "9.9", {"numpy.x": "x"}))
    with pytest.raises(InventoryError, match=r"numpy\.inv is not the file .*git checkout"):
        inventories.intersphinx_mapping(directory)
    (directory / "numpy.inv").unlink()
    with pytest.raises(InventoryError, match=r"numpy\.inv .* missing; run `nox -s inventories`"):
        inventories.intersphinx_mapping(directory)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<html>Not found</html>\n\n\n\n", "not a Sphinx inventory"),
        (b"# Sphinx inventory version 2\n# Project: x\n# Version: 1\n# z\nnot zlib", "decompress"),
    ],
)
def test_what_is_not_an_inventory_is_refused(data, message):
    with pytest.raises(InventoryError, match=message):
        read_inventory(data)


def _inventory_of(name: str) -> bytes:
    lib = library(name)
    return encode_inventory(lib.project, "1.0", {lib.sample: "api.html#$"})


def _site(answers: dict[str, bytes]):
    def fetch(url: str) -> bytes:
        if url not in answers:
            raise InventoryError(f"could not download {url}: no network in this test")
        return answers[url]

    return fetch


def test_refresh_from_the_sites_writes_checked_inventories_and_records_them(tmp_path):
    directory = tmp_path / "_intersphinx"
    answers = {lib.inventory_url: _inventory_of(lib.name) for lib in LIBRARIES}
    report = refresh(
        "site", fetch=_site(answers), directory=directory, today=datetime.date(2026, 1, 2)
    )
    assert len(report) == 4 and report[0].startswith("numpy: none -> NumPy 1.0, 1 Python names")
    sources = json.loads((directory / "sources.json").read_text())
    for lib in LIBRARIES:
        data = (directory / f"{lib.name}.inv").read_bytes()
        assert data == answers[lib.inventory_url]
        assert sources[lib.name] == {
            "project": lib.project,
            "version": "1.0",
            "source": lib.inventory_url,
            "retrieved": "2026-01-02",
            "sha256": hashlib.sha256(data).hexdigest(),
        }
    assert inventories.intersphinx_mapping(directory)["sklearn"][0] == library("sklearn").docs_url


def test_refresh_keeps_the_committed_file_when_a_download_is_not_that_library(tmp_path):
    directory = _copy_of_the_inventories(tmp_path)
    before = (directory / "sklearn.inv").read_bytes()
    wrong = {library("sklearn").inventory_url: _inventory_of("numpy")}
    with pytest.raises(InventoryError, match="the inventory is of NumPy, not of scikit-learn"):
        refresh("site", ["sklearn"], fetch=_site(wrong), directory=directory)
    assert (directory / "sklearn.inv").read_bytes() == before
    assert not list(directory.glob("*.partial"))
    inventories.intersphinx_mapping(directory)  # still consistent


def test_offline_the_session_fails_and_names_the_registry_way(monkeypatch, capsys):
    monkeypatch.setattr(inventories, "download", _site({}))
    monkeypatch.setattr(inventories, "INVENTORY_DIR", Path("/nonexistent/never/written"))
    assert inventories.main(["--only", "numpy"]) == 1
    err = capsys.readouterr().err
    assert "could not download https://numpy.org/doc/stable/objects.inv" in err
    assert "nox -s inventories -- --from debian" in err
    assert inventories.main(["--only", "pandas"]) == 1
    assert "no library 'pandas'" in capsys.readouterr().err


# --- Debian's documentation packages ---------------------------------------------------


def _tar_xz(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:xz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def _deb(files: dict[str, bytes]) -> bytes:
    """A Debian package (an ar archive) whose data.tar.xz holds ``files``."""
    members = {
        "debian-binary": b"2.0\n",
        "control.tar.xz": _tar_xz({}),
        "data.tar.xz": _tar_xz(files),
    }
    out = b"!<arch>\n"
    for name, data in members.items():
        header = f"{name:<16}{0:<12}{0:<6}{0:<6}{100644:<8}{len(data):<10}`\n".encode()
        out += header + data + (b"\n" if len(data) % 2 else b"")
    return out


def _debian(package: str, deb: bytes, sha256: str | None = None) -> dict[str, bytes]:
    filename = f"pool/main/x/{package}_1.0_all.deb"
    index = (
        "Package: other-doc\nVersion: 1\nFilename: pool/other.deb\nSHA256: 00\n\n"
        f"Package: {package}\nVersion: 1.0-1\nDescription: docs\n with a continued line\n"
        f"Filename: {filename}\nSHA256: {sha256 or hashlib.sha256(deb).hexdigest()}\n"
    )
    mirror = inventories.DEBIAN_MIRROR
    return {
        f"{mirror}/dists/{inventories.DEBIAN_SUITE}/main/binary-all/Packages.xz": lzma.compress(
            index.encode()
        ),
        f"{mirror}/{filename}": deb,
    }


def test_refresh_from_debian_takes_the_inventory_out_of_the_documentation_package(tmp_path):
    directory = _copy_of_the_inventories(tmp_path)
    seaborn_before = (directory / "seaborn.inv").read_bytes()
    inventory = _inventory_of("numpy")
    deb = _deb(
        {
            "./usr/share/doc/python-numpy/html/index.html": b"<html>",
            "./usr/share/doc/python-numpy/html/objects.inv": inventory,
        }
    )
    report = refresh(
        "debian",
        ["numpy", "seaborn"],
        fetch=_site(_debian("python-numpy-doc", deb)),
        directory=directory,
    )
    assert (directory / "numpy.inv").read_bytes() == inventory
    assert report[0].endswith(
        "from https://deb.debian.org/debian/pool/main/x/python-numpy-doc_1.0_all.deb"
    )
    assert report[1].startswith("seaborn: Debian has no documentation package; kept (seaborn 0.13")
    assert (directory / "seaborn.inv").read_bytes() == seaborn_before
    inventories.intersphinx_mapping(directory)


def test_a_debian_package_not_matching_its_index_or_without_an_inventory_is_refused(tmp_path):
    directory = _copy_of_the_inventories(tmp_path)
    deb = _deb({"./usr/share/doc/python-numpy/html/objects.inv": _inventory_of("numpy")})
    with pytest.raises(InventoryError, match="not the file Debian's index describes"):
        refresh(
            "debian",
            ["numpy"],
            fetch=_site(_debian("python-numpy-doc", deb, "ab" * 32)),
            directory=directory,
        )
    with pytest.raises(InventoryError, match="has no package python-numpy-doc"):
        refresh(
            "debian", ["numpy"], fetch=_site(_debian("python-other-doc", deb)), directory=directory
        )
    with pytest.raises(InventoryError, match="holds no usr/share/doc/\\*/html/objects.inv"):
        inventory_in_deb(_deb({"./usr/share/doc/python-numpy/README": b"x"}))
    with pytest.raises(InventoryError, match="not a Debian package"):
        inventory_in_deb(b"<html>404</html>")
    inventories.intersphinx_mapping(directory)  # nothing was written
