"""The examples in the code's docstrings run and hold: a docstring that shows what a function returns stays true
when the function changes (a stale "last night" example in services/search/times.py went unnoticed because no test
ran them). Modules holding ``>>>`` under the four packages, Alembic's env (it runs only inside Alembic) aside."""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MODULES = sorted(
    ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
    for pkg in ("citylens", "edge_workers", "pipeline", "services")
    for p in (ROOT / pkg).rglob("*.py")
    if "migrations" not in p.parts and ">>>" in p.read_text(encoding="utf-8")
)


def test_the_modules_with_examples_are_found():
    assert "services.search.times" in MODULES and "pipeline.contrast" in MODULES and len(MODULES) >= 40


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_hold(name):
    result = doctest.testmod(importlib.import_module(name), report=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} docstring examples of {name} fail (python -m doctest -v)"
