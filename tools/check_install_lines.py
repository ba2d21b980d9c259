#!/usr/bin/env python3
"""The README's install lines work from dist/: run after `make dist` (by `make test-dist`).

The "Install" block's Python line must name the wheel dist.sh built, and is run as written in
a fresh virtualenv (pip then installs the wheel and its pandas extra); the JVM line is run as
written (it installs the jar from dist/jvm into the local Maven repository). The Android and
Swift lines need tools this machine lacks and are not run. Exits 1 naming the line at fault.
"""

from __future__ import annotations

import pathlib
import re
import subprocess
import sys
import tempfile
import venv

ROOT = pathlib.Path(__file__).resolve().parents[1]


def install_block() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"## Install\n.*?```sh\n(.*?)```", text, re.S)
    if not found:
        sys.exit("check_install_lines: README.md has no ```sh block under ## Install")
    return [l for l in found.group(1).splitlines() if l and not l.startswith("#")]


def main() -> None:
    lines = install_block()
    pip = [l for l in lines if l.startswith("pip install ")]
    mvn = [l for l in lines if "maven-install-plugin" in l]
    if len(pip) != 1 or len(mvn) != 1:
        sys.exit(f"check_install_lines: expected one pip and one mvn line, found {pip} {mvn}")
    wheel = re.search(r'"(dist/python/[^"\[]+\.whl)', pip[0])
    if not wheel or not (ROOT / wheel.group(1)).is_file():
        built = sorted(p.name for p in (ROOT / "dist/python").glob("*.whl"))
        sys.exit(f"check_install_lines: README's wheel {wheel and wheel.group(1)} is not built; dist/python has {built}")
    with tempfile.TemporaryDirectory() as tmp:
        venv.create(tmp, with_pip=True)
        bin_dir = pathlib.Path(tmp) / "bin"
        command = str(bin_dir / "python") + " -m " + pip[0] + " --quiet --disable-pip-version-check"
        subprocess.run(command, shell=True, cwd=ROOT, check=True)
        subprocess.run([str(bin_dir / "python"), "-c", "import volunteer_ledger, pandas"], check=True)
    subprocess.run(mvn[0].replace("mvn ", "mvn -B -ntp -q ", 1), shell=True, cwd=ROOT, check=True)
    print("check_install_lines: the README's Python and JVM install lines work from dist/")


if __name__ == "__main__":
    main()
