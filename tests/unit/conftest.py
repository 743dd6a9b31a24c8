"""Fixtures for the unit tier: the bundled data, loaded once per session (read-only)."""

from __future__ import annotations

import pytest

from core.data import DEFAULT_DATA_DIR, load_dataset


@pytest.fixture(scope="session")
def ds():
    """The bundled data folder, validated. Tests must not modify it: copy ``ds.plants`` first."""
    return load_dataset(DEFAULT_DATA_DIR)


@pytest.fixture(scope="session")
def labels(ds):
    return dict(zip(ds.areas["code"], ds.areas["label"], strict=True))
