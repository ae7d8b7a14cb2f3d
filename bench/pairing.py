"""How long city pairing takes: TF-IDF, scores, suggestion and clusters, on synthetic notes.

    .venv/bin/python bench/pairing.py [--cities 6 12 16 17 30 50] [--notes 2000 10000]

Prints, for each size, the median of 3 runs of `facilitation.pairing.pairing` (pure
computation; the HTTP view offloads it to a thread under eventlet).
"""

import argparse
import os
import random
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from facilitation.pairing import pairing  # noqa: E402

TOPICS = [
    "food waste in school canteens", "energy poverty and heating", "social housing for families",
    "cycling lanes and safe streets", "digital skills for older residents", "youth employment",
    "urban gardens and compost", "public procurement of local food", "air quality near schools",
    "tourism pressure in the old town", "companies sponsoring sport", "migrants and language classes",
]
FILLER = "we need better ways to involve local partners and citizens in this".split()


def notes_for(cities, count, rng):
    notes = []
    for index in range(count):
        city = cities[index % len(cities)]
        topic = TOPICS[(cities.index(city) // 2 + rng.randrange(2)) % len(TOPICS)]
        words = topic.split() + rng.sample(FILLER, 4)
        rng.shuffle(words)
        tags = [rng.choice(cities)] if rng.random() < 0.05 else []
        notes.append({"id": str(index), "city": city, "text": " ".join(words), "tags": tags})
    return notes


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cities", type=int, nargs="+", default=[6, 12, 16, 17, 30, 50])
    parser.add_argument("--notes", type=int, nargs="+", default=[2000, 10000])
    args = parser.parse_args()
    rng = random.Random(7)
    print(f"{'cities':>6} {'notes':>6} {'median s':>9} {'pairs':>6}")
    for count in args.notes:
        for size in args.cities:
            cities = [f"City {i}" for i in range(size)]
            notes = notes_for(cities, count, rng)
            times = []
            for _ in range(3):
                start = time.perf_counter()
                result = pairing(notes, cities)
                times.append(time.perf_counter() - start)
            print(f"{size:>6} {count:>6} {statistics.median(times):>9.3f} {len(result['pairs']):>6}")


if __name__ == "__main__":
    main()
