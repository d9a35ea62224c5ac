"""Benchmark: importing a 100,000-row workbook, against openpyxl merely reading it.

The workbook is in the **long** layout by default (one figure per row: indicator, area,
period, value, status, source): 10 commune-level indicators × 2,000 communes × 5 years =
100,000 rows and 100,000 figures. ``--layout wide`` builds the statistics-office layout
instead: one row per indicator and commune (100,000 rows), one column per year (2 years,
so 200,000 figures), under a title row and a "Chỉ tiêu / Đơn vị tính / Mã địa bàn" header.

Measured, each in its own subprocess so that its peak memory (max RSS) is its own:

- baseline: openpyxl opening the workbook read-only and iterating every cell's value;
- chiso read: :func:`chiso.io.tables.read_table` (cells, merged ranges, percent formats);
- chiso import: :func:`chiso.io.importer.import_file` into a fresh SQLite store that
  already holds the communes (reading, layout detection, validation against the
  catalogue and areas, and the all-or-nothing write).

Not a test. Run: ``.venv/bin/python benchmarks/bench_import.py [--rows N] [--layout wide]``.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROVINCE = "04"
YEARS_LONG = range(2021, 2026)
YEARS_WIDE = (2024, 2025)


def _indicators() -> list[tuple[str, str, float, float]]:
    from chiso.resolutions import default_catalogue

    found = []
    for i in default_catalogue():
        if "commune" in i.levels and not i.is_derived:
            low = i.minimum if i.minimum is not None else 0.0
            high = min(i.maximum if i.maximum is not None else 100.0, 100.0)
            found.append((i.code, i.unit, low, high))
    return found[:10]


def _communes(count: int) -> list[str]:
    return [f"{10000 + n:05d}" for n in range(count)]


def build(path: Path, rows: int, layout: str) -> None:
    """Write the benchmark workbook (write-only mode, so building it stays cheap)."""
    from openpyxl import Workbook

    rng = random.Random(2025)
    indicators = _indicators()
    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet("Số liệu")
    if layout == "long":
        communes = _communes(-(-rows // (len(indicators) * len(YEARS_LONG))))
        ws.append(["Chỉ số", "Địa bàn", "Kỳ", "Giá trị", "Trạng thái", "Nguồn"])
        written = 0
        for code, _unit, low, high in indicators:
            for area in communes:
                for year in YEARS_LONG:
                    if written == rows:
                        break
                    value = round(rng.uniform(low, high), 2) if high > 1 else rng.randint(0, 1)
                    ws.append([code, area, year, value, "chính thức", "Cục Thống kê"])
                    written += 1
    else:
        communes = _communes(-(-rows // len(indicators)))
        ws.append(["SỐ LIỆU CẤP XÃ"])
        ws.append(["Chỉ tiêu", "Đơn vị tính", "Mã địa bàn", *(str(y) for y in YEARS_WIDE)])
        written = 0
        for code, unit, low, high in indicators:
            for area in communes:
                if written == rows:
                    break
                values = [
                    round(rng.uniform(low, high), 2) if high > 1 else rng.randint(0, 1) for _ in YEARS_WIDE
                ]
                ws.append([code, unit, area, *values])
                written += 1
        ws.append(["Nguồn: Cục Thống kê"])
    workbook.save(path)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(kind: str, path: Path, workdir: Path, communes: int) -> dict[str, float]:
    """One measurement, in this process; returns seconds, peak RSS and counts."""
    if kind == "baseline":
        from openpyxl import load_workbook

        start = time.perf_counter()
        workbook = load_workbook(path, read_only=True, data_only=True)
        cells = sum(1 for ws in workbook.worksheets for row in ws.iter_rows(values_only=True) for _ in row)
        workbook.close()
        return {"seconds": time.perf_counter() - start, "peak_mb": _peak_mb(), "cells": cells}
    if kind == "read":
        from chiso.io.tables import read_table

        start = time.perf_counter()
        sheets = read_table(path)
        cells = sum(len(r) for s in sheets for r in s.rows)
        return {"seconds": time.perf_counter() - start, "peak_mb": _peak_mb(), "cells": cells}
    from chiso.areas import Area
    from chiso.io.importer import import_file
    from chiso.resolutions import default_catalogue
    from chiso.store import open_store

    store = open_store(f"sqlite:///{workdir / 'bench.sqlite3'}")
    store.save_areas(
        [Area(PROVINCE, "Tỉnh thử", "tinh")]
        + [Area(code, f"Xã {code}", "xa", parent=PROVINCE) for code in _communes(communes)]
    )
    catalogue = default_catalogue()
    start = time.perf_counter()
    report = import_file(store, path, catalogue, province=PROVINCE, actor="benchmark")
    seconds = time.perf_counter() - start
    assert not report.errors, report.errors[:5]
    return {
        "seconds": seconds,
        "peak_mb": _peak_mb(),
        "figures": report.figures,
        "added": report.added,
        "stored": store.count_observations(),
    }


def _run(kind: str, path: Path, workdir: Path, communes: int) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--measure", kind, "--file", str(path), "--workdir", str(workdir),
         "--communes", str(communes)],
        check=True,
        capture_output=True,
        text=True,
    )  # fmt: skip
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    """Build the workbook, run the three measurements, print times, memory and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--layout", choices=["long", "wide"], default="long")
    parser.add_argument("--measure", choices=["baseline", "read", "import"])
    parser.add_argument("--file", type=Path)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--communes", type=int, default=0)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.file, args.workdir, args.communes)))
        return
    per_row = len(YEARS_LONG) if args.layout == "long" else 1
    communes = -(-args.rows // (len(_indicators()) * per_row))
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        path = workdir / f"bench-{args.layout}.xlsx"
        start = time.perf_counter()
        build(path, args.rows, args.layout)
        print(
            f"Workbook: {args.rows:,} rows, {args.layout} layout, {path.stat().st_size / 1e6:.1f} MB "
            f"(built in {time.perf_counter() - start:.1f} s)"
        )
        results = {kind: _run(kind, path, workdir, communes) for kind in ("baseline", "read", "import")}
    base = results["baseline"]
    print(f"{'':34}{'time (s)':>10}{'peak RSS (MB)':>15}{'× time':>9}{'× memory':>10}")
    labels = {
        "baseline": "openpyxl read-only, every cell",
        "read": "chiso read_table",
        "import": "chiso import_file (validate+write)",
    }
    for kind, label in labels.items():
        r = results[kind]
        print(
            f"{label:34}{r['seconds']:10.2f}{r['peak_mb']:15.0f}"
            f"{r['seconds'] / base['seconds']:9.2f}{r['peak_mb'] / base['peak_mb']:10.2f}"
        )
    imported = results["import"]
    counts = {key: f"{imported[key]:,.0f}" for key in ("figures", "added", "stored")}
    print("Figures found {figures}, added {added}, stored {stored}.".format(**counts))


if __name__ == "__main__":
    main()
