"""Arshif's benchmark harness: `python -m bench` (see bench/README.md)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "bench"
