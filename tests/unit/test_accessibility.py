"""Colours: the palette stays distinguishable under simulated colour-vision deficiencies, and
every text colour the app sets reaches WCAG AA contrast on its background."""

from __future__ import annotations

import itertools
import re

import colorspacious as cs
import numpy as np
import pytest

from components.charts import SEGMENT_COLOURS
from components.style import TEXT_COLOURS
from core.assets import PHARMAMAP_DIR
from core.domain import OTHER_COLOUR, PALETTE, UNKNOWN_COLOUR

MIN_DELTA_E = 10  # CIEDE-like distance in CAM02-UCS; ~10 is clearly distinguishable side by side


def rgb(hex_colour: str) -> np.ndarray:
    return np.array([int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)]) / 255


def luminance(hex_colour: str) -> float:
    c = rgb(hex_colour)
    c = np.where(c <= 0.03928, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return float(0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2])


def contrast(fg: str, bg: str) -> float:
    a, b = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (a + 0.05) / (b + 0.05)


@pytest.mark.parametrize("cvd", ["deuteranomaly", "protanomaly", "tritanomaly", None])
def test_marker_palette_is_distinguishable(cvd):
    colours = PALETTE + [UNKNOWN_COLOUR, OTHER_COLOUR]
    space = {"name": "sRGB1+CVD", "cvd_type": cvd, "severity": 100} if cvd else "sRGB1"
    seen = {c: np.clip(cs.cspace_convert(rgb(c), space, "sRGB1"), 0, 1) for c in colours}
    worst = min((cs.deltaE(seen[a], seen[b], input_space="sRGB1"), a, b)
                for a, b in itertools.combinations(colours, 2))
    assert worst[0] >= MIN_DELTA_E, worst


def test_chart_segments_are_distinguishable():
    for cvd in ("deuteranomaly", "protanomaly", "tritanomaly"):
        seen = [np.clip(cs.cspace_convert(rgb(c), {"name": "sRGB1+CVD", "cvd_type": cvd, "severity": 100},
                                          "sRGB1"), 0, 1) for c in SEGMENT_COLOURS.values()]
        assert min(cs.deltaE(a, b, input_space="sRGB1") for a, b in itertools.combinations(seen, 2)) >= MIN_DELTA_E


@pytest.mark.parametrize("name,colour", sorted(TEXT_COLOURS.items()))
def test_page_text_reaches_aa(name, colour):
    assert contrast(colour, "#FFFFFF") >= 4.5, name


def six_digit(colour: str) -> str:
    """#abc -> #AABBCC; anything but a hex colour is refused, so none escapes the check."""
    assert re.fullmatch(r"#(?:[0-9a-fA-F]{3}){1,2}", colour), colour
    return "#" + (colour[1:] if len(colour) == 7 else "".join(2 * c for c in colour[1:])).upper()


def test_map_text_reaches_aa():
    # every text colour of the map's CSS (color, and fill for SVG text), on the legend's near-white box
    # and the lightest region fill
    css = (PHARMAMAP_DIR / "map.css").read_text(encoding="utf-8")
    declared = re.findall(r"(?<![\w-])(?:color|fill)\s*:\s*([^;}\s]+)", css)
    colours = {six_digit(c) for c in declared}
    assert colours == {"#1F1F1F", "#333333", "#000000"}  # legend text, region labels, the projector's labels
    for colour in colours:
        for bg in ("#FFFFFF", "#F2F2F2", "#D9E8F5"):
            assert contrast(colour, bg) >= 4.5, (colour, bg)


def test_the_projector_fills_and_outlines_reach_aa():
    # the projector option's regions (map.js regionStyle), opaque: the host regions' fill at least 4.5:1 against
    # the other regions' fill, and each outline at 4.5:1 against its own region's fill, so a washed-out
    # projector still shows which regions host the plants and every boundary (the browser test checks the same
    # as drawn, with the container's background)
    js = (PHARMAMAP_DIR / "map.js").read_text(encoding="utf-8")
    block = re.search(r"if \(P\.projector\) \{(.*?)\n {12}\}", js, flags=re.S)
    assert block is not None
    styles = re.findall(r"\{fillColor: '(#[0-9a-f]{6})', color: '(#[0-9a-f]{6})', weight: [\d.]+, fillOpacity: 1\}",
                        block.group(1))
    assert styles == [("#ffffff", "#1d3d5c"), ("#767676", "#ffffff")]  # host, then the others
    (host_fill, host_line), (other_fill, other_line) = styles
    assert contrast(host_fill, other_fill) >= 4.5
    assert contrast(host_line, host_fill) >= 4.5 and contrast(other_line, other_fill) >= 4.5
    css = (PHARMAMAP_DIR / "map.css").read_text(encoding="utf-8")
    assert ".ppm-projector.leaflet-container{background:#767676}" in css  # beyond the border: the others' grey


def test_contrast_function():
    assert contrast("#000000", "#FFFFFF") == pytest.approx(21)
    assert contrast("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)
