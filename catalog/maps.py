"""Small Leaflet maps of places, generated with folium and served with self-hosted assets.

folium writes the map's JavaScript; we keep only its map element and script and load Leaflet
from the site itself (folium's defaults point at CDNs, which government networks block).
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import folium
from branca.element import Figure, MacroElement
from jinja2 import Template

OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'


@dataclass(frozen=True)
class MapPlace:
    """A point to show: its label, address and (optional) link, relative to the page."""

    name: str
    address: str
    lat: float
    lon: float
    kind: str
    url: str | None = None


@dataclass(frozen=True)
class TileSettings:
    url: str = OSM_TILES
    attribution: str = OSM_ATTRIBUTION


class _PopupHtml(MacroElement):
    """Bind popup HTML to the parent marker without folium's jQuery-based popups."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "{{ this._parent.get_name() }}.bindPopup({{ this.content|tojson }});"
        "{% endmacro %}"
    )

    def __init__(self, content: str) -> None:
        super().__init__()
        self._name = "PopupHtml"
        self.content = content


def _popup(place: MapPlace) -> str:
    name = html.escape(place.name)
    title = f'<a href="{html.escape(place.url)}">{name}</a>' if place.url else name
    return f"<strong>{title}</strong><br>{html.escape(place.address)}"


def render_map(
    places: list[MapPlace], tiles: TileSettings, height_px: int = 360
) -> tuple[str, str]:
    """Return ``(element_html, script)`` for a map fitted to ``places``."""
    if not places:
        raise ValueError("a map needs at least one place")
    center = [sum(p.lat for p in places) / len(places), sum(p.lon for p in places) / len(places)]
    fmap = folium.Map(location=center, zoom_start=14, tiles=None, height=f"{height_px}px")
    folium.TileLayer(tiles=tiles.url, attr=tiles.attribution, name="Bản đồ nền").add_to(fmap)
    for place in places:
        marker = folium.Marker(
            [place.lat, place.lon],
            tooltip=html.escape(place.name),
            alt=place.name,
            title=place.name,
        )
        marker.add_child(_PopupHtml(_popup(place)))
        marker.add_to(fmap)
    if len(places) > 1:
        fmap.fit_bounds(
            [
                [min(p.lat for p in places), min(p.lon for p in places)],
                [max(p.lat for p in places), max(p.lon for p in places)],
            ],
            padding=(24, 24),
        )
    figure = fmap.get_root()
    assert isinstance(figure, Figure)
    figure.render()
    element = figure.html.render().strip()
    script = "\n".join(line for line in figure.script.render().splitlines() if line.strip())
    return element, script
