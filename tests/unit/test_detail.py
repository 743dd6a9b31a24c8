"""The detail card's rows (components/detail.py card_rows): which approval a date is."""

from __future__ import annotations

from components.detail import card_rows


def rows(ds_all, plant_id: str) -> dict[str, str]:
    plant = ds_all.plants.set_index("plant_id", drop=False).loc[plant_id]
    return {label: value for label, value, _ in card_rows(plant, ds_all.region_name(str(plant["region"])))}


def test_an_approval_date_says_whose_approval_it_is(ds_all):
    """Khan Tengri's 17 September 2025 is the Investment Headquarters' approval, not a government resolution
    as for the four of 22 January 2026: the card says so, as the source does."""
    khan = rows(ds_all, "khan-tengri")
    assert khan["Approved on"] == "17 September 2025"
    assert khan["Approved by"].startswith("Investment Headquarters (17 Sep 2025); government resolution")
    assert rows(ds_all, "altinfarm")["Approved by"].startswith("Government resolution approving")
    existing = rows(ds_all, "nobel-aff-existing")
    assert existing["Approved on"] == "not applicable: an existing plant" and "Approved by" not in existing
    assert existing["Investment"] == "not applicable"
