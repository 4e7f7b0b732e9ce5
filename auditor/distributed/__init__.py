"""Beyond one machine: a sweep of many sites by many workers (the `distributed` extra).

    queue.py     the work list: a procrastinate queue in PostgreSQL (one job per site and
                 device, locked by registrable domain, unique while waiting)
    worker.py    a worker process: one Chromium, a fresh context per site, results saved
                 in the PostgreSQL store (`auditor/store/postgres.py`)
    dispatch.py  the small interface the rest of the tool uses (local asyncio or the queue)
    shard.py     `--shard K/N`: a stable share of an input, for machines without a queue
    merge.py     join result documents (the shards') into one
    cli.py       `enqueue`, `worker`, `progress`, `merge` (`add_commands(subparsers)`)

Only `shard.py`, `merge.py` and `dispatch.py`'s local dispatcher work without the extra;
`docs/distributed.md` says how to run a sweep.
"""
