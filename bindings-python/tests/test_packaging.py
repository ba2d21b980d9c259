"""The package's metadata is complete, in pyproject.toml and in what is installed (the wheel's
METADATA when test-dist.sh runs these tests), and the readme PyPI shows runs as written.

Complete: a readme as Markdown, the Apache-2.0 licence as an SPDX expression with the LICENSE
text as a licence file, requires-python, the extras pandas, polars and arrow, and the
classifiers a user filters on; no placeholder URL."""

from __future__ import annotations

import email.parser
import importlib.metadata as md
import re
import sys
from email.message import Message
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parents[1]
PYPROJECT = HERE / "pyproject.toml"
README = HERE / "README.md"
EXTRAS = {"pandas", "polars", "arrow"}
CLASSIFIER_PREFIXES = (
    "Development Status :: ",
    "Natural Language :: Chinese (Simplified)",
    "Operating System :: POSIX :: Linux",
    "Programming Language :: Python :: 3",
    "Programming Language :: Python :: 3.9",
    "Topic :: ",
)
PLACEHOLDER = re.compile(
    r"example\.(invalid|com|org|net)|\.invalid\b|<(repository|repo|project)[-_ ]?url>", re.IGNORECASE
)


def has_classifier(classifiers: list[str], prefix: str) -> bool:
    return any(c == prefix or (prefix.endswith(" ") and c.startswith(prefix)) for c in classifiers)


def pyproject() -> dict[str, Any]:
    if sys.version_info < (3, 11):
        pytest.skip("tomllib needs Python 3.11")
    import tomllib

    with open(PYPROJECT, "rb") as f:
        return tomllib.load(f)


def test_pyproject_metadata_is_complete() -> None:
    project = pyproject()["project"]
    assert project["readme"] == "README.md" and README.is_file()
    assert project["requires-python"] == ">=3.9"
    assert project["license"] == "Apache-2.0"
    assert project["license-files"] == ["LICENSE"]
    licence = HERE / "LICENSE"
    assert licence.resolve() == (HERE.parent / "LICENSE").resolve(), "LICENSE is the repository's"
    assert "Apache License" in licence.read_text(encoding="utf-8")
    assert EXTRAS <= set(project["optional-dependencies"])
    for prefix in CLASSIFIER_PREFIXES:
        assert has_classifier(project["classifiers"], prefix), prefix
    # PEP 639: no licence classifier beside an SPDX expression (PyPI refuses the upload).
    assert not [c for c in project["classifiers"] if c.startswith("License ::")]
    # A URL must lead somewhere: none of the project's may be a placeholder.
    for url in project.get("urls", {}).values():
        assert not PLACEHOLDER.search(url), url


def test_no_placeholder_url_in_the_package_files() -> None:
    for path in (PYPROJECT, README, HERE / "Cargo.toml", HERE.parent / "Cargo.toml"):
        found = PLACEHOLDER.search(path.read_text(encoding="utf-8"))
        assert found is None, f"{path.name}: placeholder {found.group(0) if found else ''!r}"


def installed_metadata() -> Message:
    """The installed distribution's METADATA file, as the wheel wrote it."""
    try:
        text = md.distribution("volunteer-ledger").read_text("METADATA")
    except md.PackageNotFoundError:
        pytest.skip("volunteer-ledger is not installed as a distribution")
    assert text, "the installed distribution has no METADATA"
    return email.parser.Parser().parsestr(text)


def test_installed_metadata_is_complete() -> None:
    meta = installed_metadata()
    assert meta["Requires-Python"] == ">=3.9"
    assert meta["License-Expression"] == "Apache-2.0"
    assert "LICENSE" in (meta.get_all("License-File") or [])
    assert (meta["Description-Content-Type"] or "").startswith("text/markdown")
    assert "pip install" in str(meta.get_payload())
    assert EXTRAS <= set(meta.get_all("Provides-Extra") or [])
    classifiers = meta.get_all("Classifier") or []
    for prefix in CLASSIFIER_PREFIXES:
        assert has_classifier(classifiers, prefix), prefix
    assert not PLACEHOLDER.search(meta.as_string())


def test_installed_licence_text() -> None:
    try:
        files = md.files("volunteer-ledger") or []
    except md.PackageNotFoundError:
        pytest.skip("volunteer-ledger is not installed as a distribution")
    licences = [f for f in files if f.parent.name == "licenses" and f.name == "LICENSE"]
    if not licences:
        pytest.skip("an editable install (maturin develop) carries no licence file")
    assert "Apache License" in licences[0].read_text(encoding="utf-8")


def readme_python() -> str:
    text = README.read_text(encoding="utf-8")
    blocks = re.findall(r"^```python\n(.*?)^```$", text, flags=re.MULTILINE | re.DOTALL)
    assert len(blocks) == 1, "the readme holds one Python example"
    return str(blocks[0])


def test_readme_example_runs_as_written(capsys: pytest.CaptureFixture[str]) -> None:
    code = readme_python()
    assert len(code.splitlines()) <= 20
    exec(compile(code, "bindings-python/README.md", "exec"), {"__name__": "__readme__"})
    out = capsys.readouterr().out.splitlines()
    want = [
        line.split("#", 1)[1].strip()
        for line in code.splitlines()
        if line.lstrip().startswith("print(") and "#" in line
    ]
    assert out == want


def test_readme_install_line_names_the_extras() -> None:
    text = README.read_text(encoding="utf-8")
    assert 'pip install "volunteer-ledger[pandas]"' in text
    for extra in EXTRAS:
        assert extra in text
    assert not PLACEHOLDER.search(text)
