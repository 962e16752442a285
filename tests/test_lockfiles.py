"""The lock files (requirements/*.txt, made by scripts/lock): current, complete, hashed, and consistent."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
LOCKS = {name: REPO / "requirements" / f"{name}.txt" for name in ("main", "dev", "build")}
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^ ;\\]+)")


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins(path: Path) -> dict[str, tuple[str, int]]:
    """name -> (version, number of hashes) for every requirement in a lock file."""
    pins: dict[str, tuple[str, int]] = {}
    current = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if match := PIN.match(line):
            current = _canonical(match.group(1))
            pins[current] = (match.group(2), 0)
        elif line.strip().startswith("--hash=sha256:") and current:
            version, hashes = pins[current]
            pins[current] = (version, hashes + 1)
    return pins


def _names(requirements: list[str]) -> set[str]:
    return {_canonical(re.split(r"[\[<>=!~; ]", r, maxsplit=1)[0]) for r in requirements}


@pytest.mark.parametrize("lock", sorted(LOCKS))
def test_lock_matches_pyproject_and_every_pin_has_hashes(lock: str) -> None:
    stamp = subprocess.run([sys.executable, str(REPO / "scripts" / "lock-stamp")], capture_output=True, text=True,
                           check=True).stdout.strip()
    text = LOCKS[lock].read_text(encoding="utf-8")
    assert f"# pyproject.toml requirements: {stamp}" in text, "pyproject.toml changed: run scripts/lock"
    pins = _pins(LOCKS[lock])
    assert pins
    unhashed = [name for name, (_, hashes) in pins.items() if hashes == 0]
    assert not unhashed


def test_every_dependency_is_pinned_and_production_matches_development() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    main, dev, build = (_pins(LOCKS[name]) for name in ("main", "dev", "build"))
    assert _names(project["project"]["dependencies"]) <= set(main)
    assert _names(project["project"]["optional-dependencies"]["dev"]) <= set(dev)
    assert _names(project["build-system"]["requires"]) <= set(build)
    # CI and developers test exactly what operators install.
    assert {name: version for name, (version, _) in main.items()} == {
        name: dev[name][0] for name in main
    }
    assert not {"pytest", "playwright", "uv", "django-oidc-provider"} & set(main)
