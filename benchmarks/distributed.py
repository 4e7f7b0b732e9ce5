"""Benchmark of the distributed sweep: generated sites through one PostgreSQL, 1 and 3 workers.

    python3 benchmarks/distributed.py --sites 40 --workers 1,3 [--seed 1] [--concurrency 1]

For each worker count: a fresh throwaway PostgreSQL cluster on 127.0.0.1 (Debian's
`postgresql` binaries, as in the tests), the generated sites (`benchmarks/sitegen.py`)
served on 127.0.0.1, `enqueue` of every site, then N `worker --no-wait` processes started
together; the wall time until the last worker exits gives sites per minute. It prints
figures only (this machine is shared and noisy: no assertions). Run alone for real figures.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from auditor.demo.server import SiteServer  # noqa: E402
from auditor.distributed.worker import WorkerOptions, worker_argv  # noqa: E402
from auditor.store.postgres import PostgresStore  # noqa: E402
from sitegen import generate, set_origin  # noqa: E402
from tests.pg_cluster import PgCluster  # noqa: E402


def run(n_sites: int, workers: int, seed: int, concurrency: int, tmp: Path) -> dict:
    sites_dir = tmp / f"sites-{workers}"
    truth = generate(n_sites, sites_dir, seed=seed)
    servers = [SiteServer(sites_dir / s["folder"]).start() for s in truth["sites"].values()]
    cluster = PgCluster().start()
    try:
        for srv, s in zip(servers, truth["sites"].values(), strict=True):
            set_origin(sites_dir / s["folder"], srv.url.rstrip("/"))
        dsn = cluster.dsn()
        urls = [srv.url for srv in servers]
        subprocess.run([sys.executable, "-m", "auditor.distributed.cli", "enqueue", "--db", dsn,
                        "--batch", "bench", *urls], check=True, capture_output=True, cwd=ROOT)
        t0 = time.monotonic()
        procs = [
            subprocess.Popen(worker_argv(WorkerOptions(dsn=dsn, concurrency=concurrency, wait=False,
                                                       name=f"w{i}", poll_interval=0.5)),
                             cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for i in range(workers)
        ]
        for p in procs:
            p.wait()
        wall = time.monotonic() - t0
        with PostgresStore(dsn) as store:
            results = store.results("bench")
        ok = sum(1 for r in results if r.status != "error")
        return {"workers": workers, "sites": len(results), "ok": ok, "wall_s": round(wall, 1),
                "sites_per_minute": round(len(results) / wall * 60, 1)}
    finally:
        cluster.stop()
        for srv in servers:
            srv.stop()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sites", type=int, default=40)
    ap.add_argument("--workers", default="1,3", help="comma-separated worker counts")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--concurrency", type=int, default=1, help="sites at once per worker")
    a = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="ca-dbench-") as tmp:
        for w in (int(x) for x in a.workers.split(",")):
            rows.append(run(a.sites, w, a.seed, a.concurrency, Path(tmp)))
            print(json.dumps(rows[-1]), flush=True)
    print(f"{'workers':>8} {'sites':>6} {'ok':>4} {'wall s':>8} {'sites/min':>10}")
    for r in rows:
        print(f"{r['workers']:>8} {r['sites']:>6} {r['ok']:>4} {r['wall_s']:>8} {r['sites_per_minute']:>10}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
