"""scripts/geocode.py end to end on a temp copy of plants.csv: the input is never changed."""

from __future__ import annotations

import functools
import hashlib
import json
import shutil

import pytest

from core import geocode
from core.data import DEFAULT_DATA_DIR, load_dataset
from scripts import geocode as cli
from tests.unit.test_geocode import OTEGEN, FakeClock, FakeNominatim, fake_nominatim  # noqa: F401 (a fixture)


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def plants(tmp_path):
    path = tmp_path / "plants.csv"
    shutil.copy(DEFAULT_DATA_DIR / "plants.csv", path)
    return path


def test_offline_run_writes_a_new_file_and_a_diff_and_lists_what_it_could_not_resolve(plants, tmp_path, capsys):
    before = sha(plants)
    out = tmp_path / "plants.geocoded.csv"
    rc = cli.main([str(plants), "--out", str(out), "--offline", "--cache", str(tmp_path / "cache.json")])
    assert rc == 0 and sha(plants) == before
    printed = capsys.readouterr().out
    assert printed.splitlines()[0] == f"9 rows: 1 changed, 8 kept, 0 unresolved. Wrote {out} and " \
                                      f"{tmp_path / 'plants.geocoded.diff.md'}."
    assert "row 6 (khan-tengri): 'Alatau SEZ, Almaty Region' is not in the Nominatim cache (offline)" in printed
    diff = (tmp_path / "plants.geocoded.diff.md").read_text(encoding="utf-8")
    assert "| 9 | abdi-ibrahim-existing | Almaty Region | 43.87780, 77.06780 | 43.41845, 77.02187 | district | " \
           "https://www.geonames.org/ | Otegen Batyr (gazetteer) | changed |" in diff
    assert not (tmp_path / "cache.json").exists()  # nothing asked, nothing cached
    # the new file is a valid data file: the app loads it with every row
    folder = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, folder)
    shutil.copy(out, folder / "plants.csv")
    ds = load_dataset(folder)
    assert ds.problems == [] and ds.rows_rejected == 0
    row = ds.plants.set_index("plant_id").loc["abdi-ibrahim-existing"]
    assert (row["lat"], row["lon"], row["point_basis"]) == (43.41845, 77.02187, "city_centroid")


def test_it_refuses_to_write_over_its_input(plants, capsys):
    before = sha(plants)
    assert cli.main([str(plants), "--out", str(plants), "--offline"]) == 2
    assert "is the input file; choose another path" in capsys.readouterr().err
    assert sha(plants) == before


def test_a_missing_input_is_a_message_not_a_traceback(tmp_path, capsys):
    assert cli.main([str(tmp_path / "nope.csv"), "--out", str(tmp_path / "o.csv"), "--offline"]) == 2
    assert "error: nope.csv: file not found" in capsys.readouterr().err


def test_online_run_asks_the_fake_nominatim_once_per_query(plants, tmp_path, monkeypatch, fake_nominatim):  # noqa: F811
    clock = FakeClock()
    monkeypatch.setattr(cli.geocode, "nominatim_search",
                        functools.partial(geocode.nominatim_search, clock=clock.now, sleep=clock.sleep))
    monkeypatch.delenv("PHARMAMAP_OFFLINE", raising=False)
    FakeNominatim.answers = {"Almaty Region": json.dumps([OTEGEN])}  # the rest: "good"-less queries fail below
    cache = tmp_path / "cache.json"
    args = [str(plants), "--out", str(tmp_path / "o.csv"), "--cache", str(cache), "--diff", "csv",
            "--nominatim-domain", fake_nominatim, "--scheme", "http", "--timeout", "2"]
    before = sha(plants)
    assert cli.main(args) == 0
    asked = [r["q"] for r in FakeNominatim.requests]
    assert asked == ["Almaty Region", "Alatau SEZ, Almaty Region"]
    assert clock.sleeps == [1.0]  # the second request a second after the first
    assert len(json.loads(cache.read_text(encoding="utf-8"))) == 1  # the good answer only
    diff = (tmp_path / "o.diff.csv").read_text(encoding="utf-8-sig").splitlines()
    assert diff[3].startswith("4,abdi-ibrahim,Almaty Region,\"43.87780, 77.06780\",\"43.41845, 77.02187\",region,")
    assert cli.main(args) == 0
    assert [r["q"] for r in FakeNominatim.requests] == asked + ["Alatau SEZ, Almaty Region"]  # cached one not asked
    assert sha(plants) == before
