"""What the privacy guard costs per note: CPU time per note, and what loading it adds to a worker.

Usage: python benchmarks/bench_privacy.py [--rounds N]
Checks every note of the four corpora in tests/data/ (ordinary notes, notes with personal
data, notes with names and addresses, notes with places and agencies) N times and prints the
CPU time per note (median, p95, max over notes; process time, steady on a busy machine), the
caught and falsely refused counts of the two issue-23 corpora, and, in a fresh interpreter,
the import time of the guard, the time and memory its name lists take on the first note.
"""

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT / "tests" / "data"

FIRST_NOTE = """
import resource, time
def rss():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
started = time.process_time()
from ido.core.questions.privacy import personal_data_kinds
imported, before = time.process_time(), rss()
personal_data_kinds("Jan de Vries, Kerkstraat 14")
print(f"{imported - started:.3f} {time.process_time() - imported:.3f} {before:.1f} {rss():.1f}")
"""


def _notes() -> tuple[list[str], list[str], list[str]]:
    def lines(name: str) -> list[str]:
        return [line for line in (DATA / name).read_text("utf-8").splitlines() if line]

    people = [line.split("\t", 1)[1] for line in lines("notes_people.txt")]
    places = lines("notes_places.txt")
    others = lines("notes_allowed.txt") + [
        line.split("\t", 1)[1] for line in lines("notes_refused.txt")
    ]
    return people, places, others


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    rounds = parser.parse_args().rounds

    out = subprocess.run(
        [sys.executable, "-c", FIRST_NOTE], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    imported, lists, rss_before, rss_after = map(float, out)
    print(f"import of the guard (and the app package it sits in): {imported * 1000:.0f} ms")
    print(f"first note (reads the name lists): {lists * 1000:.0f} ms CPU")
    print(f"peak RSS: {rss_before:.1f} MiB after import, {rss_after:.1f} MiB after the first note")

    from ido.core.questions.privacy import personal_data_kinds

    people, places, others = _notes()
    caught = sum(bool(personal_data_kinds(note)) for note in people)
    refused = sum(bool(personal_data_kinds(note)) for note in places)
    print(f"names and addresses: {caught} of {len(people)} caught")
    print(f"places, agencies and numbers: {refused} of {len(places)} falsely refused")

    costs = []
    for note in people + places + others:
        started = time.process_time()
        for _ in range(rounds):
            personal_data_kinds(note)
        costs.append((time.process_time() - started) / rounds * 1000)
    costs.sort()
    p95 = costs[int(len(costs) * 0.95)]
    print(
        f"CPU per note over {len(costs)} notes x {rounds}: median {statistics.median(costs):.3f} "
        f"ms, p95 {p95:.3f} ms, max {costs[-1]:.3f} ms"
    )


if __name__ == "__main__":
    main()
