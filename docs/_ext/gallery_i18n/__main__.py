"""``python -m gallery_i18n``: the steps of ``nox -s gettext`` that are this package's.

``nox -s gettext`` extracts the pages' messages with Sphinx, then runs ``extract`` (the
output catalog's template), merges the templates into the catalogs with ``sphinx-intl
update``, runs ``fill`` (the entries that need no translator) and prints ``sphinx-intl
stat``. Run with ``docs/_ext`` on ``PYTHONPATH``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from gallery_build import FIRST_NOTEBOOK_CELL  # docs/_ext, on the path as this package

from .extract import extract
from .fill import fill_locale

__all__ = ["main"]


def main(argv: list[str] | None = None) -> None:
    """Run one command: ``extract POT_DIR [--examples DIR]`` or ``fill LOCALE``."""
    parser = argparse.ArgumentParser(prog="python -m gallery_i18n")
    commands = parser.add_subparsers(dest="command", required=True)
    extract_cmd = commands.add_parser("extract", help="write gallery-output.pot")
    extract_cmd.add_argument("pot_dir", type=Path, help="the gettext build's output")
    extract_cmd.add_argument("--examples", type=Path, default=Path("examples"))
    fill_cmd = commands.add_parser("fill", help="fill the entries that need no translator")
    fill_cmd.add_argument("locale", type=Path, help="e.g. docs/locale/ru/LC_MESSAGES")
    args = parser.parse_args(argv)
    if args.command == "extract":
        extract(args.pot_dir, args.examples, FIRST_NOTEBOOK_CELL)
    else:
        fill_locale(args.locale)


if __name__ == "__main__":
    main()
