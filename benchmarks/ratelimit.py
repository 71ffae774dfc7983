"""Cost of the per-client API rate limiter on the hot path: admissions per second of one process.

    python benchmarks/ratelimit.py [--calls N] [--clients N]

Prints the figures and, last, one JSON line. No database: the limiter keeps its buckets in process memory.
"""

import argparse
import json
import time

from ciqcredit.organizations.ratelimit import TokenBucket


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--clients", type=int, default=20)
    args = parser.parse_args()
    bucket = TokenBucket(rate=5000.0, burst=10000.0)
    started = time.perf_counter()
    refused = 0
    for i in range(args.calls):
        refused += bucket.take(i % args.clients) > 0
    seconds = time.perf_counter() - started
    figures = {
        "calls": args.calls,
        "seconds": round(seconds, 3),
        "admissions_per_second": round(args.calls / seconds),
        "microseconds_per_call": round(seconds / args.calls * 1e6, 3),
        "refused": refused,
    }
    print(f"{figures['admissions_per_second']:,} admissions/s, {figures['microseconds_per_call']} µs each")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
