"""Benchmark: CB-HPI scoring of a national survey, against a plain pandas baseline.

1,000,000 synthetic respondents answer the shipped CB-HPI methodology (31 questions,
30 indicators) in 3,321 communes (about 300 each), 8–22 villages per commune as
clusters. Four tasks, each timed in a fresh subprocess that loads the same data file
and reports its wall time and peak memory (``ru_maxrss``):

- ``chiso-score``: :func:`chiso.happiness.score_survey`, no interval;
- ``chiso-bootstrap``: the same with 200 Rao–Wu bootstrap replicates;
- ``pandas-score``: achievements with pandas column operations, then
  ``groupby("commune").apply(...)`` for the commune scores — the baseline;
- ``pandas-bootstrap``: the baseline's bootstrap, villages resampled within each
  commune by ``groupby().apply()``; only a few replicates are run and the time is
  extrapolated to 200 (the output says so).

Run: ``.venv/bin/python benchmarks/bench_happiness.py`` (``--respondents`` to scale,
``--check`` for the self-check alone). The self-check — pandas and chiso give the same
commune scores on a small sample — runs first, and is also a test
(``tests/test_happiness.py``).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from chiso.happiness import score_survey
from chiso.methodology import Methodology, default_methodology

COMMUNES = 3321
REPLICATES = 200
PANDAS_BOOTSTRAP_SAMPLE = 2


def synthetic_survey(
    methodology: Methodology, respondents: int, communes: int, seed: int = 0
) -> dict[str, np.ndarray]:
    """Coded answers with commune and village effects, plus commune codes and villages."""
    rng = np.random.default_rng(seed)
    commune = np.sort(rng.integers(0, communes, respondents))
    villages_per_commune = rng.integers(8, 23, communes)
    village = (rng.random(respondents) * villages_per_commune[commune]).astype(np.int32)
    quality = (
        rng.normal(0, 0.6, communes)[commune] + rng.normal(0, 0.3, communes * 23)[commune * 23 + village]
    )
    person = rng.normal(0, 0.8, respondents)
    data: dict[str, np.ndarray] = {}
    for q in methodology.questions:
        latent = quality + person + rng.normal(0, 1.0, respondents)
        if q.type == "likert5":
            value = np.clip(np.rint(3.6 + latent), 1, 5)
        elif q.type == "scale10":
            value = np.clip(np.rint(6.5 + 1.8 * latent), 0, 10)
        elif q.type == "yes_no":
            yes = latent > -1.3
            value = (~yes if q.reverse else yes).astype(np.float64)
        elif q.type == "single_choice":
            scored = sorted((o for o in q.options if o.score is not None), key=lambda o: o.score or 0)
            codes = np.array([o.code for o in scored])
            step = np.clip(np.rint((latent + 1.5) / 3 * (len(codes) - 1)), 0, len(codes) - 1).astype(int)
            value = codes[step].astype(np.float64)
            na = [o.code for o in q.options if o.score is None]
            if na:
                value[rng.random(respondents) < 0.15] = na[0]
        else:
            value = np.clip(np.rint(2.5 - 2.5 * latent), 0, 30)
        data[f"q:{q.id}"] = value.astype(np.int8)
    data["commune"] = np.char.zfill((commune + 1).astype(str), 5)
    data["village"] = village
    return data


def _answers(data: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return {key[2:]: value for key, value in data.items() if key.startswith("q:")}


# --------------------------------------------------------------------------------------
# The pandas baseline
# --------------------------------------------------------------------------------------


def _pandas_frame(methodology: Methodology, data: dict[str, np.ndarray]) -> Any:
    """Person-level sufficiency share S and shortfall, with plain pandas column operations."""
    import pandas as pd

    df = pd.DataFrame({"commune": data["commune"], "village": data["village"]})
    achieved = {}
    for q in methodology.questions:
        a = pd.Series(data[f"q:{q.id}"], dtype="float64")
        if q.type == "likert5":
            value = ((5 - a) if q.reverse else (a - 1)) / 4
            value = value.where(a.between(1, 5))
        elif q.type == "scale10":
            value = ((10 - a) if q.reverse else a) / 10
            value = value.where(a.between(0, 10))
        elif q.type == "yes_no":
            value = a.map({1: 0.0, 0: 1.0} if q.reverse else {1: 1.0, 0: 0.0})
        elif q.type == "single_choice":
            value = a.map({o.code: (np.nan if o.score is None else o.score) for o in q.options})
        else:
            xs, ys = zip(*q.points, strict=True)
            value = pd.Series(np.interp(a, xs, ys)).where(a.between(q.minimum, q.maximum))
        achieved[q.id] = value
    weights = methodology.indicator_weights()
    num = pd.Series(0.0, index=df.index)
    den = pd.Series(0.0, index=df.index)
    for w, indicator in zip(weights, methodology.indicators, strict=True):
        parts = pd.concat([achieved[q] for q in indicator.questions], axis=1)
        value = {"mean": parts.mean(axis=1), "min": parts.min(axis=1), "max": parts.max(axis=1)}[
            indicator.combine
        ]
        answered = value.notna()
        num += w * (value >= indicator.cutoff)
        den += w * answered
    valid = den >= methodology.reporting.min_answered_share - 1e-9
    s = num / den
    df["w"] = 1.0
    df["loss"] = np.where(s < methodology.happiness_cutoff - 1e-9, 1 - s, 0.0)
    return df[valid]


def _commune_score(g: Any) -> float:
    return float(100 * (1 - (g["w"] * g["loss"]).sum() / g["w"].sum()))


def pandas_scores(methodology: Methodology, data: dict[str, np.ndarray]) -> dict[str, float]:
    """The baseline: commune scores by ``groupby().apply()``."""
    df = _pandas_frame(methodology, data)
    return {str(k): float(v) for k, v in df.groupby("commune").apply(_commune_score).items()}


def pandas_bootstrap(methodology: Methodology, data: dict[str, np.ndarray], replicates: int) -> Any:
    """The baseline's bootstrap: each replicate resamples n − 1 of n villages per commune."""
    import pandas as pd

    df = _pandas_frame(methodology, data)
    rng = np.random.default_rng(1)

    def one(g: Any) -> float:
        totals = g.groupby("village").apply(
            lambda h: pd.Series({"v": h["w"].sum(), "l": (h["w"] * h["loss"]).sum()})
        )
        if len(totals) < 2:
            return float("nan")
        drawn = totals.iloc[rng.integers(0, len(totals), len(totals) - 1)]
        return float(100 * (1 - drawn["l"].sum() / drawn["v"].sum()))

    return [df.groupby("commune").apply(one) for _ in range(replicates)]


def self_check(communes: int = 30, per_commune: int = 50, seed: int = 3) -> int:
    """Assert that the pandas baseline and chiso give the same commune scores; return the count."""
    methodology = default_methodology()
    data = synthetic_survey(methodology, communes * per_commune, communes, seed)
    report = score_survey(
        methodology, _answers(data), data["commune"], clusters=data["village"], interval="none"
    )
    baseline = pandas_scores(methodology, data)
    ours = report.scores
    assert ours.keys() == baseline.keys(), "different communes"
    for code, value in baseline.items():
        assert np.isclose(ours[code], value, rtol=0, atol=1e-9), (code, ours[code], value)
    return len(baseline)


# --------------------------------------------------------------------------------------
# Timed tasks, each in its own process
# --------------------------------------------------------------------------------------


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_task(task: str, path: Path) -> dict[str, float]:
    """Load the data, run one task, return its seconds and memory figures."""
    methodology = default_methodology()
    with np.load(path) as npz:
        data = {key: npz[key] for key in npz.files}
    if task.startswith("pandas"):
        import pandas  # noqa: F401 — imported before the clock starts, like numpy for chiso
    loaded = _peak_mib()
    start = time.perf_counter()
    if task == "chiso-score":
        score_survey(methodology, _answers(data), data["commune"], clusters=data["village"], interval="none")
    elif task == "chiso-bootstrap":
        score_survey(
            methodology, _answers(data), data["commune"], clusters=data["village"], replicates=REPLICATES
        )
    elif task == "pandas-score":
        pandas_scores(methodology, data)
    elif task == "pandas-bootstrap":
        pandas_bootstrap(methodology, data, PANDAS_BOOTSTRAP_SAMPLE)
    else:
        raise SystemExit(f"unknown task {task}")
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "peak_mib": _peak_mib(), "loaded_mib": loaded}


def _in_subprocess(task: str, path: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--task", task, "--data", str(path)],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    """Generate the data, run the self-check and each task, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=1_000_000)
    parser.add_argument("--communes", type=int, default=COMMUNES)
    parser.add_argument("--task")
    parser.add_argument("--data", type=Path)
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--skip-pandas-bootstrap", action="store_true")
    args = parser.parse_args()
    if args.task:
        print(json.dumps(run_task(args.task, args.data)))
        return
    print(f"self-check: pandas and chiso agree on {self_check()} commune scores")
    if args.check:
        return
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "survey.npz"
        data = synthetic_survey(default_methodology(), args.respondents, args.communes)
        np.savez(path, **data)  # type: ignore[arg-type]
        clusters = len({(c, v) for c, v in zip(data["commune"][::1], data["village"], strict=True)})
        print(
            f"data: {args.respondents:,} respondents × {sum(k.startswith('q:') for k in data)} questions, "
            f"{len(np.unique(data['commune'])):,} communes, {clusters:,} villages"
        )
        del data
        results = {}
        tasks = ["chiso-score", "pandas-score", "chiso-bootstrap"]
        if not args.skip_pandas_bootstrap:
            tasks.append("pandas-bootstrap")
        for task in tasks:
            results[task] = _in_subprocess(task, path)
            r = results[task]
            print(
                f"{task:18s} {r['seconds']:9.2f} s   peak {r['peak_mib']:7.0f} MiB "
                f"(after loading the data {r['loaded_mib']:.0f} MiB)"
            )
    score_ratio = results["pandas-score"]["seconds"] / results["chiso-score"]["seconds"]
    print(f"scoring: chiso is {score_ratio:.1f}× faster than pandas groupby().apply()")
    if "pandas-bootstrap" in results:
        per_replicate = results["pandas-bootstrap"]["seconds"] / PANDAS_BOOTSTRAP_SAMPLE
        estimate = per_replicate * REPLICATES
        ratio = estimate / results["chiso-bootstrap"]["seconds"]
        print(
            f"bootstrap: pandas ran {PANDAS_BOOTSTRAP_SAMPLE} replicates in "
            f"{results['pandas-bootstrap']['seconds']:.1f} s; extrapolated to {REPLICATES}: {estimate:.0f} s "
            f"(not measured) — chiso is about {ratio:.0f}× faster"
        )


if __name__ == "__main__":
    main()
