"""The inventories the site's links to numpy, matplotlib, seaborn and scikit-learn come from
(docs/_ext/inventories.py, docs/_intersphinx). The links themselves are checked in the
built site (tests/site/test_library_links.py)."""

from __future__ import annotations

import datetime
import json
import shutil
import zlib
from pathlib import Path

import inventories
import pytest
from inventories import LIBRARIES, InventoryError, checked, read_inventory

REPO = Path(__file__).resolve().parents[1]


def encode_inventory(project: str, version: str, objects: dict[str, str]) -> bytes:
    """A Sphinx inventory of ``objects`` (name -> address), as Sphinx writes one."""
    body = "".join(f"{name} py:function 1 {uri} -\n" for name, uri in objects.items())
    header = f"# Sphinx inventory version 2\n# Project: {project}\n# Version: {version}\n#\n"
    return header.encode() + zlib.compress(body.encode())


def _path(lib) -> Path:
    return inventories.INVENTORY_DIR / f"{lib.name}.inv"


def test_the_committed_inventories_are_the_recorded_ones_of_the_right_libraries():
    mapping = inventories.intersphinx_mapping()
    sources = json.loads((inventories.INVENTORY_DIR / "sources.json").read_text())
    assert sorted(mapping) == ["matplotlib", "numpy", "seaborn", "sklearn"]
    for lib in LIBRARIES:
        url, path = mapping[lib.name]
        assert url == lib.docs_url and url.startswith("https://") and url.endswith("/")
        assert Path(path) == _path(lib) and _path(lib).is_file()  # a file: no download
        inventory = checked(lib, _path(lib).read_bytes())
        assert inventory.version == sources[lib.name]["version"]
        datetime.date.fromisoformat(sources[lib.name]["retrieved"])
        assert len(inventory.objects) > 150, f"{lib.name}: {len(inventory.objects)} names"


def test_every_library_name_the_lessons_use_is_in_its_inventory():
    """What a lesson calls of numpy, matplotlib, seaborn or scikit-learn links to its page."""
    inventory = {lib.name: read_inventory(_path(lib).read_bytes()).objects for lib in LIBRARIES}
    used = set()
    for lesson in sorted((REPO / "examples").glob("*/plot_*.py")):
        used |= inventories.library_names(lesson.read_text(encoding="utf-8"))
    assert {"matplotlib.pyplot.show", "sklearn.decomposition.PCA"} <= used
    missing = sorted(name for name in used if name not in inventory[name.split(".")[0]])
    assert not missing, f"names the lessons use that their libraries' inventories lack: {missing}"


def test_a_changed_or_missing_inventory_stops_the_build_with_what_to_do(tmp_path):
    directory = tmp_path / "_intersphinx"
    shutil.copytree(inventories.INVENTORY_DIR, directory)
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
        (encode_inventory("NumPy", "1", {"numpy.ndarray": "x"}), "NumPy's inventory, without"),
    ],
)
def test_what_is_not_the_librarys_inventory_is_refused(data, message):
    with pytest.raises(InventoryError, match=message):
        checked(LIBRARIES[3], data)


def test_offline_the_session_fails_and_names_the_registry_way(monkeypatch, capsys):
    def offline(url, timeout):
        raise OSError("Name or service not known")

    monkeypatch.setattr(inventories.urllib.request, "urlopen", offline)
    before = _path(LIBRARIES[0]).read_bytes()
    assert inventories.main(["--only", "numpy"]) == 1
    assert "--from debian" in capsys.readouterr().err
    assert _path(LIBRARIES[0]).read_bytes() == before
