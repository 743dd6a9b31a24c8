"""Distances for the detail card: geodesic (WGS84 ellipsoid, geopy.distance), each with the error its
points' precision allows. Pure Python, no Streamlit.

How far off an approximate point can be (``ERROR_KM``, the stated possible error per precision):

========== ======================================================================================
precision  possible error of the drawn point
========== ======================================================================================
site       1 km: a sourced point of the site itself (a plant's fence spans a few hundred metres)
city       30 km: a city's published point stands for anywhere in the city; Almaty's, Astana's
           and Shymkent's boundaries reach 31, 36 and 28 km from the points used here (measured
           on regions.geojson), so 30 km, never more than the region's own reach
district   100 km: a district centre stands for anywhere in the district (Kazakh districts run
           to 100 km and more across), never more than the region's reach
zone       the region's reach: a special economic zone is named, the plot (or subzone) is not;
           TURAN's subzones lie in Turkistan city, in Kentau and near the border, 100+ km apart
region     the region's reach: only the region is known
========== ======================================================================================

"The region's reach" is the largest great-circle distance from the point to the boundary of the
row's region in regions.geojson (rounded up to whole km): 346 km from Konaev across Almaty Region.
The precision of a drawn point (:func:`point_precision`) is the coarser of what the sources know
about the site (``site_precision``) and what the point is (``point_basis``): AltINFARM's zone is
known, but its point is Almaty's centre, so it is as good as the city reach (31 km). A distance
between two points is off by at most the sum of their errors.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import cast

import numpy as np
import pandas as pd
import shapely
from geopy.distance import geodesic

EARTH_KM = 6371.0088  # mean Earth radius (IUGG), for the great-circle reach
PRECISION_RANK = {"site": 0, "city": 1, "district": 2, "zone": 3, "region": 4}  # finest first
ERROR_KM: dict[str, float] = {"site": 1.0, "city": 30.0, "district": 100.0, "zone": math.inf, "region": math.inf}
# what a point_basis (plants.csv) is worth as a precision
BASIS_PRECISION = {"site": "site", "city_centroid": "city", "region_admin_centre": "region",
                   "unit_centroid": "region"}
RADII_KM = (25, 50, 100, 250)  # the card's "other plants within" choices


@dataclass(frozen=True)
class Place:
    """A row of the gazetteer, places.csv (see data/README.md)."""

    place_id: str
    name: str
    name_ru: str
    name_kk: str
    kind: str
    region: str
    lat: float
    lon: float
    precision: str
    source: str
    aliases: tuple[str, ...] = ()
    note: str = ""


def centre_of(places: list[Place], region: str) -> Place | None:
    """The region's administrative centre; a city of republican significance is its own centre."""
    return next((p for p in places if p.region == region and (
        p.kind == "admin_centre" or (p.kind == "city" and p.name == region))), None)


def num(row: pd.Series, column: str) -> float:
    """A row's cell as a float (NaN if empty or not a number)."""
    try:
        return float(cast(float, row.get(column)))
    except (TypeError, ValueError):
        return math.nan


def coarser(a: str, b: str) -> str:
    """The coarser of two precisions (unknown values count as region)."""
    return a if PRECISION_RANK.get(a, 4) >= PRECISION_RANK.get(b, 4) else b


def point_precision(site_precision: object, point_basis: object) -> str:
    """The precision of a drawn point: the coarser of the site's precision and what the point is."""
    site = site_precision if isinstance(site_precision, str) and site_precision in PRECISION_RANK else "region"
    basis = BASIS_PRECISION.get(point_basis if isinstance(point_basis, str) else "", "region")
    return coarser(site, basis)


def reach_km(geom, lat: float, lon: float) -> float:
    """Largest great-circle distance (km, rounded up) from the point to the boundary of ``geom``."""
    coords = shapely.get_coordinates(geom.boundary)
    lat1, lon1 = math.radians(lat), math.radians(lon)
    lats, lons = np.radians(coords[:, 1]), np.radians(coords[:, 0])
    h = np.sin((lats - lat1) / 2) ** 2 + math.cos(lat1) * np.cos(lats) * np.sin((lons - lon1) / 2) ** 2
    return float(math.ceil(2 * EARTH_KM * float(np.arcsin(np.sqrt(h.max())))))


def error_km(precision: str, reach: float | None) -> float | None:
    """The stated possible error of a point of ``precision`` in a region of ``reach`` km (None: unknown)."""
    table = ERROR_KM.get(precision, math.inf)
    if reach is None:
        return None if math.isinf(table) else table
    return min(table, reach)


@dataclass
class Distance:
    """A geodesic distance and its possible error (None: not known), both in km."""

    to: str  # what the distance is to (a place name or a plant_id)
    km: float
    error: float | None
    approximate: bool  # whether either end is not a sourced site


def geodesic_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    return float(geodesic(a, b).km)


@dataclass
class Geo:
    """What the card measures against: the gazetteer's places and the region shapes."""

    places: list[Place]
    shapes: dict[str, object]
    _reach: dict[tuple[str, float, float], float] = field(default_factory=dict)

    def reach(self, region: str, lat: float, lon: float) -> float | None:
        if region not in self.shapes:
            return None
        key = (region, lat, lon)
        if key not in self._reach:
            self._reach[key] = reach_km(self.shapes[region], lat, lon)
        return self._reach[key]

    def plant_error(self, plant: pd.Series) -> tuple[str, float | None]:
        """(precision, possible error in km) of a plant's drawn point."""
        precision = point_precision(plant.get("site_precision"), plant.get("point_basis"))
        return precision, error_km(precision, self.reach(str(plant.get("region")), num(plant, "lat"),
                                                         num(plant, "lon")))

    def place(self, place_id: str) -> Place | None:
        return next((p for p in self.places if p.place_id == place_id), None)

    def references(self, region: str) -> list[tuple[str, Place]]:
        """('centre' | 'almaty' | 'astana', place) for the card, without repeating a place."""
        out: list[tuple[str, Place]] = []
        for role, place in (("centre", centre_of(self.places, region)), ("almaty", self.place("almaty")),
                            ("astana", self.place("astana"))):
            if place is not None and place.place_id not in {p.place_id for _, p in out}:
                out.append((role, place))
        return out

    def to_places(self, plant: pd.Series) -> list[tuple[str, Place, Distance]]:
        """(role, place, distance) from the plant to its region's centre, Almaty and Astana. The places'
        own points are published city points: the error is the plant's."""
        precision, err = self.plant_error(plant)
        here = (num(plant, "lat"), num(plant, "lon"))
        return [(role, place, Distance(place.name, geodesic_km(here, (place.lat, place.lon)), err,
                                       precision != "site"))
                for role, place in self.references(str(plant.get("region")))]

    def within(self, plant: pd.Series, plants: pd.DataFrame, radius_km: float) -> list[Distance]:
        """The other plants whose drawn points lie within ``radius_km`` of this one, nearest first;
        the error is the sum of both points' errors."""
        precision, err = self.plant_error(plant)
        here = (num(plant, "lat"), num(plant, "lon"))
        out = []
        for _, other in plants.iterrows():
            if other.get("plant_id") == plant.get("plant_id"):
                continue
            km = geodesic_km(here, (num(other, "lat"), num(other, "lon")))
            if km <= radius_km:
                p2, e2 = self.plant_error(other)
                total = None if err is None or e2 is None else err + e2
                out.append(Distance(str(other.get("plant_id")), km, total, precision != "site" or p2 != "site"))
        return sorted(out, key=lambda d: (d.km, d.to))
