"""Assemble bench/RESULTS.md from the per-area result files in bench/results/.

    .venv/bin/python bench/assemble_results.py

Each area's file states what it measured, on which data, against which baseline,
and the exact command that reproduces it.
"""

from __future__ import annotations

from pathlib import Path

ORDER = ["extraction", "catalog", "matching", "licensing", "monitor", "act", "api", "spark"]
HERE = Path(__file__).resolve().parent


def main() -> None:
    files = sorted((HERE / "results").glob("*.md"), key=lambda p: (ORDER.index(p.stem) if p.stem in ORDER else 99, p.stem))
    parts = [
        "# Benchmark results\n",
        "Every benchmark runs our code and a baseline on the same data in the same run and prints ratios.",
        "The machine is the project's standard one: 2 cores, 24 GiB. Sections are assembled from",
        "`bench/results/<area>.md` by `.venv/bin/python bench/assemble_results.py`; each section gives the",
        "command that reproduces it and says under which load it was measured.\n",
        "Sections: " + ", ".join(f"[{p.stem}](results/{p.name})" for p in files) + "\n",
    ]
    for p in files:
        text = p.read_text(encoding="utf-8").strip()
        lines = text.splitlines()
        if lines and lines[0].startswith("# "):
            lines[0] = "## " + lines[0][2:]
        body = "\n".join(("#" + ln) if ln.startswith("## ") or ln.startswith("### ") else ln for ln in lines[1:])
        parts.append(lines[0] + f"\n\n_(from `bench/results/{p.name}`)_\n" + body + "\n")
    (HERE / "RESULTS.md").write_text("\n".join(parts), encoding="utf-8")


if __name__ == "__main__":
    main()
