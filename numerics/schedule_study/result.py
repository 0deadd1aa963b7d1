"""Summary, verdict and files of a schedule study (:func:`~warmup_theory.numerics.schedule_study.run_study`).

* ``runs.csv`` — one row per run (:data:`RUN_COLUMNS`); ``summary.csv`` — one row per schedule and peak lr
  (:data:`SUMMARY_COLUMNS`): final validation loss mean and sample sd over the seeds that did not diverge,
  the divergence count, the median steps to the target loss, and ``tuned`` = 1 on the setting a tuned family
  (``linear`` over its lengths, ``adaptive`` over its C grid) picks at that peak: fewest divergences, then
  lowest mean validation loss (the same selection for both, on the validation loss that is reported).
* The target loss is 1.1× the lowest final smoothed training loss of any run; "steps to target" is the
  first step whose smoothed (EMA 0.9) mini-batch loss is at or below it.
* The verdict compares families at their best peak lr: the largest peak lr with no diverged seed, the best
  mean validation loss ± sd, and whether the loss-adaptive warm-up's best is within the seed spread
  (|difference| ≤ the larger sd) of tuned linear warm-up's and below no warm-up's.
"""

from __future__ import annotations

import csv
import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from warmup_theory.numerics.schedule_study.study import StudyRuns, StudySettings

__all__ = ["FAMILY_ORDER", "RUN_COLUMNS", "SUMMARY_COLUMNS", "StudyResult", "mean_sd"]

RUN_COLUMNS = ("run", "family", "schedule", "param", "peak_lr", "seed", "status", "diverged_at", "final_val_loss",
               "final_smoothed_loss", "steps_to_target")
SUMMARY_COLUMNS = ("family", "schedule", "param", "peak_lr", "seeds", "diverged", "val_mean", "val_sd",
                   "steps_to_target_median", "reached_target", "max_lr_over_peak", "tuned")
FAMILY_ORDER = ("none", "linear", "untuned", "adaptive", "adaptive-fit")
TARGET_FACTOR = 1.1


def mean_sd(row: dict[str, Any]) -> str:
    """``mean ± sd`` of a summary row's validation loss; ``(1 seed)`` without an sd; ``diverged`` without a mean."""
    if row["val_mean"] is None:
        return "diverged"
    if row["val_sd"] is None:
        return f"{row['val_mean']:.4f} (1 seed)"
    return f"{row['val_mean']:.4f} ± {row['val_sd']:.4f}"


def _num(v: float | None) -> str:
    return "" if v is None or not math.isfinite(v) else f"{v:.6g}"


@dataclass
class StudyResult:
    """The study's settings, runs, data fingerprint and derived tables (module docstring)."""

    settings: StudySettings
    runs: StudyRuns
    fingerprint: dict[str, Any]
    external: dict[str, Any] = field(default_factory=dict)

    @property
    def target_loss(self) -> float:
        """1.1× the lowest final smoothed training loss over completed runs."""
        final = [self.runs.smoothed[r, -1] for r in range(len(self.runs.specs)) if self.runs.diverged_at[r] is None]
        return TARGET_FACTOR * float(np.nanmin(final)) if final else math.nan

    def steps_to_target(self, r: int) -> int | None:
        """First step of run ``r`` whose smoothed loss ≤ :attr:`target_loss` (None: never)."""
        hit = np.flatnonzero(self.runs.smoothed[r] <= self.target_loss)
        return int(hit[0]) if hit.size else None

    def run_rows(self) -> list[dict[str, Any]]:
        """One dict per run, keys :data:`RUN_COLUMNS`."""
        rr = self.runs
        out = []
        for r, spec in enumerate(rr.specs):
            dv = rr.diverged_at[r]
            out.append({"run": r, "family": spec.family, "schedule": spec.label, "param": spec.param,
                        "peak_lr": rr.peaks[r], "seed": rr.seeds[r], "status": "diverged" if dv is not None
                        else "completed", "diverged_at": dv,
                        "final_val_loss": None if dv is not None else float(rr.val_loss[r]),
                        "final_smoothed_loss": None if dv is not None else float(rr.smoothed[r, -1]),
                        "steps_to_target": self.steps_to_target(r)})
        return out

    def summary_rows(self) -> list[dict[str, Any]]:
        """One dict per (schedule, peak lr), keys :data:`SUMMARY_COLUMNS`."""
        groups: dict[tuple[str, float], list[dict[str, Any]]] = {}
        for row in self.run_rows():
            groups.setdefault((row["schedule"], row["peak_lr"]), []).append(row)
        out = []
        for (label, peak), rows in groups.items():
            vals = [r["final_val_loss"] for r in rows if r["final_val_loss"] is not None]
            hits = [r["steps_to_target"] for r in rows
                    if r["steps_to_target"] is not None and r["status"] != "diverged"]
            out.append({"family": rows[0]["family"], "schedule": label, "param": rows[0]["param"], "peak_lr": peak,
                        "seeds": len(rows), "diverged": sum(r["status"] == "diverged" for r in rows),
                        "val_mean": float(np.mean(vals)) if vals else None,
                        "val_sd": float(np.std(vals, ddof=1)) if len(vals) > 1 else None,
                        "steps_to_target_median": float(np.median(hits)) if hits else None,
                        "reached_target": len(hits), "max_lr_over_peak": self._reached(label, peak), "tuned": 0})
        for fam in ("linear", "adaptive"):
            for peak in self.settings.peak_lrs:
                cands = [row for row in out if row["family"] == fam and row["peak_lr"] == peak]
                if cands:
                    min(cands, key=self._rank)["tuned"] = 1
        for row in out:
            if row["family"] not in ("linear", "adaptive"):
                row["tuned"] = 1
        return out

    def _reached(self, label: str, peak: float) -> float:
        """Largest lr any seed of ``label`` at ``peak`` used, over the peak (below 1: the warm-up never ended)."""
        rr = self.runs
        idx = [r for r in range(len(rr.specs)) if rr.specs[r].label == label and rr.peaks[r] == peak]
        return float(np.nanmax(rr.lr[idx])) / peak

    @staticmethod
    def _rank(row: dict[str, Any]) -> tuple[int, float]:
        return row["diverged"], math.inf if row["val_mean"] is None else row["val_mean"]

    def families(self) -> dict[str, list[dict[str, Any]]]:
        """Per family, its chosen (``tuned``) summary row at every peak lr, in peak order."""
        out: dict[str, list[dict[str, Any]]] = {}
        for row in sorted(self.summary_rows(), key=lambda r: r["peak_lr"]):
            if row["tuned"]:
                out.setdefault(row["family"], []).append(row)
        return {f: out[f] for f in FAMILY_ORDER if f in out}

    def best(self) -> dict[str, dict[str, Any]]:
        """Per family: its best row (fewest divergences, then lowest mean validation loss) and the largest
        peak lr with no diverged seed (``largest_stable_peak``; None if every peak diverged somewhere)."""
        out = {}
        for fam, rows in self.families().items():
            stable = [r["peak_lr"] for r in rows if r["diverged"] == 0]
            out[fam] = dict(min(rows, key=self._rank), largest_stable_peak=max(stable) if stable else None)
        return out

    def verdict(self) -> dict[str, Any]:
        """The comparison in numbers (module docstring)."""
        best = self.best()
        out: dict[str, Any] = {"target_loss": self.target_loss, "best": best}

        def spread(a: dict[str, Any], b: dict[str, Any]) -> float:
            return max(a["val_sd"] or 0.0, b["val_sd"] or 0.0)

        ada, lin, none = best.get("adaptive"), best.get("linear"), best.get("none")
        if ada and lin and ada["val_mean"] is not None and lin["val_mean"] is not None:
            d = ada["val_mean"] - lin["val_mean"]
            out["adaptive_minus_linear"] = d
            out["adaptive_matches_linear"] = abs(d) <= spread(ada, lin)
        if ada and none and ada["val_mean"] is not None and none["val_mean"] is not None:
            d = ada["val_mean"] - none["val_mean"]
            out["adaptive_minus_none"] = d
            out["adaptive_beats_none"] = d < -spread(ada, none)
        return out

    def verdict_lines(self) -> list[str]:
        """The verdict as short lines (each ≤ 120 characters)."""
        v = self.verdict()
        lines = []
        for fam, b in v["best"].items():
            mean = mean_sd(b)
            stable = "none" if b["largest_stable_peak"] is None else f"{b['largest_stable_peak']:g}"
            lines.append(f"  {fam:<13} best val loss {mean} at peak {b['peak_lr']:g} ({b['schedule']}); "
                         f"largest stable peak {stable}")
        if "adaptive_minus_linear" in v:
            word = "within" if v["adaptive_matches_linear"] else "outside"
            lines.append(f"  loss-adaptive - tuned linear = {v['adaptive_minus_linear']:+.4f} ({word} the seed spread)")
        if "adaptive_minus_none" in v:
            word = "better than" if v["adaptive_beats_none"] else "not better than"
            lines.append(f"  loss-adaptive - no warm-up = {v['adaptive_minus_none']:+.4f} ({word} no warm-up beyond "
                         "the seed spread)")
        ext = self.external
        if ext.get("installed"):
            worst = max(ext["linear"].values(), default=0.0)
            lines.append(f"  pytorch-warmup {ext['version']} as reference: linear warm-up lrs differ by at most "
                         f"{worst:.1e}")
            if "untuned" in ext:
                st = ext["untuned_steps"]
                lines.append(f"    untuned rule: {st['toolkit']} steps vs its {st['pytorch_warmup']} (it truncates "
                             f"2/(1 - beta2)), lrs differ by at most {ext['untuned']:.2g}")
        fit = self.runs.fit
        if fit.get("C") is not None:
            lines.append(f"  C from the probe fit: 2·H1/H0 = 2·{fit['H1']:.3g}/{fit['H0']:.3g} = {fit['C']:.3g}")
        elif fit.get("reason"):
            lines.append(f"  C from the probe fit: not run ({fit['reason']})")
        return lines

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict: settings, fingerprint, fit, verdict, summary."""
        return {"settings": self.settings.to_dict(), "data": self.fingerprint, "fit": self.runs.fit,
                "pytorch_warmup": self.external,
                "seconds": self.runs.seconds, "verdict": self.verdict(), "summary": self.summary_rows()}

    def write(self, out: str | os.PathLike[str]) -> list[str]:
        """Write ``runs.csv``, ``summary.csv``, ``study.json`` and ``curves.npz`` under ``out``; return the names."""
        d = Path(out)
        d.mkdir(parents=True, exist_ok=True)
        header = [f"# warmup-theory schedules: {json.dumps(self.settings.to_dict())}",
                  f"# data: {json.dumps(self.fingerprint)}"]
        for name, cols, rows in (("runs.csv", RUN_COLUMNS, self.run_rows()),
                                 ("summary.csv", SUMMARY_COLUMNS, self.summary_rows())):
            with open(d / name, "w", newline="") as fh:
                fh.write("\n".join(header) + "\n")
                w = csv.writer(fh)
                w.writerow(cols)
                for row in rows:
                    w.writerow([_num(row[c]) if isinstance(row[c], float) else ("" if row[c] is None else row[c])
                                for c in cols])
        (d / "study.json").write_text(json.dumps(self.to_dict(), indent=1, default=str))
        np.savez_compressed(d / "curves.npz", lr=self.runs.lr, loss=self.runs.loss, smoothed=self.runs.smoothed,
                            labels=np.array([s.label for s in self.runs.specs]), peaks=np.array(self.runs.peaks),
                            seeds=np.array(self.runs.seeds))
        return ["runs.csv", "summary.csv", "study.json", "curves.npz"]
