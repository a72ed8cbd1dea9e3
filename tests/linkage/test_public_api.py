"""The package's public names load on first use, and each is what its module defines, never a module."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys
import types

import pytest

from bluestone import linkage


def test_every_public_name_is_the_object_and_not_a_module_even_after_every_submodule_is_imported() -> None:
    for module in pkgutil.iter_modules(linkage.__path__):
        importlib.import_module(f"bluestone.linkage.{module.name}")
    for name in linkage.__all__:
        value = getattr(linkage, name)
        assert not isinstance(value, types.ModuleType), f"bluestone.linkage.{name} is a module"
    assert callable(linkage.standardise)
    assert callable(linkage.evaluate)


def test_reading_a_constant_does_not_import_splink_duckdb_or_pandas() -> None:
    # A fresh interpreter: this one has imported them already.
    code = (
        "import sys\n"
        "from bluestone.linkage import DEFAULT_THRESHOLD, LINKAGE_COLUMNS, ClusterPolicy\n"
        "assert 0 < DEFAULT_THRESHOLD < 1 and LINKAGE_COLUMNS and ClusterPolicy\n"
        "print(sorted(m for m in ('splink', 'duckdb', 'pandas') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_name"):
        linkage.no_such_name  # noqa: B018
