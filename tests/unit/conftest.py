"""Fixtures for the unit tier: the bundled data, loaded once per session (read-only)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from core.data import DEFAULT_DATA_DIR, load_dataset


@pytest.fixture(scope="session")
def ds_all():
    """The bundled data folder, validated, every row (the six agreements and the existing plants)."""
    return load_dataset(DEFAULT_DATA_DIR)


@pytest.fixture(scope="session")
def ds(ds_all):
    """The default view's data: the four plants approved on 22 Jan 2026. Tests must not modify it:
    copy ``ds.plants`` first."""
    return replace(ds_all, plants=ds_all.scope_plants("approved").reset_index(drop=True))


@pytest.fixture(scope="session")
def labels(ds):
    """The default view's areas: the nine the programme of 22 Jan 2026 names."""
    return ds.area_labels("approved")
