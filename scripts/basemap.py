"""Write the site's base map, aoav_data/site_assets/basemap.json, from Natural Earth's countries.

Natural Earth is public domain; the npm package world-atlas ships its 1:50m Admin 0 countries as
TopoJSON. Run once, offline, after `npm install --prefix DIR world-atlas@2`:

    python scripts/basemap.py DIR/node_modules/world-atlas/countries-50m.json

The output holds Europe and North Africa only, projected (equirectangular, true to scale at 45°N),
clipped to the map's frame and rounded to a tenth of a pixel: each country one SVG path. The site's
app.js projects the records' coordinates with the same numbers, which the file carries.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "aoav_data" / "site_assets" / "basemap.json"
# The frame: west, south, east, north (degrees), and the width in pixels of the projected map.
WEST, SOUTH, EAST, NORTH = -20.0, 24.0, 42.0, 62.0
STANDARD_PARALLEL = 45.0
WIDTH = 1000.0
SCALE = WIDTH / ((EAST - WEST) * math.cos(math.radians(STANDARD_PARALLEL)))
Point = tuple[float, float]


def project(lon: float, lat: float) -> Point:
    """Degrees to pixels, (0, 0) at the frame's north-west corner (app.js has the same formula)."""
    return ((lon - WEST) * math.cos(math.radians(STANDARD_PARALLEL)) * SCALE, (NORTH - lat) * SCALE)


def decode_arcs(topology: dict[str, Any]) -> list[list[Point]]:
    """TopoJSON's quantized, delta-encoded arcs as lists of (lon, lat)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(arcs: list[list[Point]], indexes: list[int]) -> list[Point]:
    """A ring from arc indexes; ~i is arc i reversed, and each arc repeats its predecessor's last point."""
    points: list[Point] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def clip(points: list[Point], box: tuple[float, float, float, float]) -> list[Point]:
    """Sutherland-Hodgman: a polygon ring clipped to a rectangle (left, top, right, bottom)."""
    left, top, right, bottom = box
    # Each edge: which coordinate (0: x, 1: y), the line, and whether inside is above it.
    for axis, line, above in ((0, left, True), (0, right, False), (1, top, True), (1, bottom, False)):
        if not points:
            break
        kept: list[Point] = []
        previous = points[-1]
        for point in points:
            if _inside(point, axis, line, above):
                if not _inside(previous, axis, line, above):
                    kept.append(_cross(previous, point, axis, line))
                kept.append(point)
            elif _inside(previous, axis, line, above):
                kept.append(_cross(previous, point, axis, line))
            previous = point
        points = kept
    return points


def _inside(point: Point, axis: int, line: float, above: bool) -> bool:
    return point[axis] >= line if above else point[axis] <= line


def _cross(a: Point, b: Point, axis: int, line: float) -> Point:
    """Where the segment a-b crosses the line."""
    t = (line - a[axis]) / (b[axis] - a[axis])
    x, y = a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t
    return (line, y) if axis == 0 else (x, line)


def path(rings: list[list[Point]]) -> str:
    """SVG path data, a tenth of a pixel precise, dropping points closer than 0.6 px to the last kept."""
    parts = []
    for points in rings:
        kept: list[Point] = []
        for x, y in points:
            if kept and math.hypot(x - kept[-1][0], y - kept[-1][1]) < 0.6:
                continue
            kept.append((x, y))
        if len(kept) < 3:
            continue
        parts.append("M" + "L".join(f"{x:.1f},{y:.1f}".replace(".0,", ",").removesuffix(".0") for x, y in kept) + "Z")
    return "".join(parts)


def basemap(topology: dict[str, Any]) -> dict[str, Any]:
    arcs = decode_arcs(topology)
    height = project(WEST, SOUTH)[1]
    frame = (-2.0, -2.0, WIDTH + 2, height + 2)
    countries = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        kind = geometry.get("type")
        polygons = [geometry["arcs"]] if kind == "Polygon" else geometry["arcs"] if kind == "MultiPolygon" else []
        rings = []
        for polygon in polygons:
            for indexes in polygon:
                projected = [project(lon, lat) for lon, lat in ring(arcs, indexes)]
                clipped = clip(projected, frame)
                if clipped:
                    rings.append(clipped)
        d = path(rings)
        if d:
            countries.append({"name": geometry.get("properties", {}).get("name", ""), "d": d})
    countries.sort(key=lambda c: c["name"])
    return {
        "attribution": "Made with Natural Earth. Free vector and raster map data @ naturalearthdata.com "
        "(public domain), 1:50m Admin 0 countries, via the world-atlas package.",
        "projection": {
            "type": "equirectangular",
            "west": WEST,
            "north": NORTH,
            "standard_parallel": STANDARD_PARALLEL,
            "scale": SCALE,
        },
        "width": WIDTH,
        "height": round(height, 1),
        "countries": countries,
    }


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python scripts/basemap.py PATH/countries-50m.json", file=sys.stderr)
        return 2
    try:
        topology = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(f"basemap: cannot read {argv[0]}: {exc}", file=sys.stderr)
        return 1
    OUT.write_text(json.dumps(basemap(topology), ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{OUT.relative_to(ROOT)}: {OUT.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
