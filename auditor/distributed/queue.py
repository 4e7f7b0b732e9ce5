"""The work list of a distributed sweep: a procrastinate queue in PostgreSQL.

One job per (batch, url, device): the task `audit_site_job`. How the queue keeps the
promises of a national sweep:

* **one audit per registrable domain at a time**, across all workers: every job's
  procrastinate `lock` is the site's registrable domain (`auditor.scope.site_key`), and
  procrastinate never runs two jobs with one lock at once (a partial unique index on the
  lock of the `doing` jobs; a waiting job is not fetched while an older one with its lock
  is waiting or running);
* **enqueue twice adds nothing**: a job's `queueing_lock` is its (batch, device, url), so
  procrastinate refuses a second waiting job for it; `enqueue_batch` also skips targets
  that already have a result or a job in progress;
* **a dead worker loses nothing**: workers send heartbeats; a job whose worker stopped
  sending them is put back in the queue by any live worker (`retry_stalled_jobs`), and the
  lock stays held until then, so a half-dead worker's browser never overlaps the retry;
* **not forever**: each start is logged in the store's attempts log; a target whose
  earlier attempts all died (`MAX_ATTEMPTS`, 3) gets an error result `worker_lost` instead
  of a fourth audit (a site that crashes whatever audits it must not stop the sweep);
* **the results table is the truth**: a job whose result is already saved does nothing
  (its worker may have died between saving and acknowledging), and the queue can be
  rebuilt at any time from the targets that have no result (`enqueue_batch` with no new
  targets).

The job body lives in `auditor/distributed/worker.py`, which installs it with
`set_job_handler`; this module only describes jobs, so that `enqueue` needs no browser.

`app` can also be used by procrastinate's own command line (libpq's `PG*` variables or
`--app` with a connector of one's own), e.g. to list jobs:
`PGHOST=... procrastinate --app=auditor.distributed.queue.app shell`.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass

import procrastinate
import psycopg
from procrastinate import exceptions as pq_exceptions
from procrastinate.schema import SchemaManager

from auditor.errors import BrowserNotFound, StoreError
from auditor.scope import site_key
from auditor.store import StoredTarget

#: The procrastinate queue the audit jobs go to (a worker listens to this one only).
QUEUE = "contact-auditor"
TASK_NAME = "contact_auditor.audit_site"
#: Attempts whose worker died before a target is recorded as `worker_lost`.
MAX_ATTEMPTS = 3
#: Key of the advisory lock taken while creating procrastinate's tables.
QUEUE_SCHEMA_LOCK_KEY = 0x0CA57013
#: Jobs inserted per statement when enqueueing.
DEFER_CHUNK = 500

app = procrastinate.App(connector=procrastinate.PsycopgConnector(), import_paths=[__name__])


@dataclass(frozen=True)
class JobSpec:
    """What one job asks for (its arguments), and which attempt the queue thinks it is."""

    batch_id: str
    url: str
    device: str
    name: str | None
    sector: str | None
    position: int
    max_attempts: int
    queue_attempts: int  # procrastinate's count of earlier tries (stalls and errors)
    job_id: int | None

    @property
    def target(self) -> StoredTarget:
        return StoredTarget(self.url, self.device, self.name, self.sector, self.position)


JobHandler = Callable[[JobSpec], Awaitable[str]]
_handler: JobHandler | None = None


def set_job_handler(handler: JobHandler | None) -> None:
    """Install the coroutine that runs a job (the worker does, at start)."""
    global _handler
    _handler = handler


@app.task(
    name=TASK_NAME,
    queue=QUEUE,
    pass_context=True,
    # A job that raises (the store unreachable for a moment) is tried again a little later;
    # an audit itself never raises: a site that cannot be audited is an error *result*.
    retry=procrastinate.RetryStrategy(max_attempts=MAX_ATTEMPTS, wait=5, retry_exceptions={StoreError, BrowserNotFound, OSError}),
)
async def audit_site_job(
    context: procrastinate.JobContext,
    batch_id: str,
    url: str,
    device: str = "desktop",
    name: str | None = None,
    sector: str | None = None,
    position: int = 0,
    max_attempts: int = MAX_ATTEMPTS,
) -> str:
    """Audit one site in one device profile and save the result in the batch."""
    if _handler is None:
        raise RuntimeError("audit_site_job runs only inside `contact-auditor worker`")
    job = context.job
    return await _handler(JobSpec(batch_id, url, device, name, sector, position, max_attempts,
                                  job.attempts, job.id))


# -- keys ------------------------------------------------------------------------------
def job_lock(url: str) -> str:
    """The lock of a site's jobs: its registrable domain (one audit of it at a time)."""
    return f"site:{site_key(url)}"


def queueing_lock(batch_id: str, url: str, device: str) -> str:
    """At most one waiting job per (batch, device, url)."""
    return f"{batch_id}\x1f{device}\x1f{url}"


def default_batch_id(targets: Sequence[StoredTarget], settings_json: str) -> str:
    """A batch id that is the same for the same input and settings, so that running one
    `enqueue` twice (or on two machines) opens one batch, not two."""
    h = hashlib.sha256(settings_json.encode())
    for t in sorted(targets, key=lambda t: (t.url, t.device)):
        h.update(f"\n{t.device}\x1f{t.url}".encode())
    return f"sweep-{h.hexdigest()[:12]}"


# -- connecting ------------------------------------------------------------------------
@contextlib.asynccontextmanager
async def open_queue(dsn: str, *, max_connections: int = 4) -> AsyncIterator[procrastinate.App]:
    """The app, connected to `dsn`, with procrastinate's tables created when missing."""
    await ensure_queue_schema(dsn)
    connector = procrastinate.PsycopgConnector(
        conninfo=dsn, min_size=1, max_size=max(2, max_connections),
        kwargs={"application_name": "contact-auditor-queue"},
    )
    with app.replace_connector(connector):
        async with app.open_async():
            yield app


async def ensure_queue_schema(dsn: str) -> None:
    """Create procrastinate's tables unless they are there (under an advisory lock, so
    workers and `enqueue` starting at once do not race)."""
    try:
        async with await psycopg.AsyncConnection.connect(dsn, autocommit=True) as conn:
            async with conn.transaction():
                await conn.execute("SELECT pg_advisory_xact_lock(%s)", (QUEUE_SCHEMA_LOCK_KEY,))
                cur = await conn.execute("SELECT to_regclass('procrastinate_jobs') IS NOT NULL")
                row = await cur.fetchone()
                if not row[0]:
                    await conn.execute(SchemaManager.get_schema())
    except psycopg.Error as exc:
        raise StoreError(f"cannot set up the job queue: {str(exc).strip().splitlines()[0]}") from None


# -- enqueueing ------------------------------------------------------------------------
@dataclass(frozen=True)
class EnqueueReport:
    batch_id: str
    targets: int  # in the batch
    added: int  # new jobs
    done: int  # targets with a result already (no job)
    queued: int  # targets with a job waiting or running already (no new job)


async def enqueue_pending(app_: procrastinate.App, batch_id: str, pending: Sequence[StoredTarget],
                          total: int, max_attempts: int = MAX_ATTEMPTS) -> EnqueueReport:
    """Add a job for each of `pending` (targets without a result) that has none waiting or
    running. Safe to repeat and to run on two machines at once."""
    keys = [queueing_lock(batch_id, t.url, t.device) for t in pending]
    active = set()
    if keys:
        rows = await app_.connector.execute_query_all_async(
            "SELECT queueing_lock FROM procrastinate_jobs "
            "WHERE queueing_lock = ANY(%(keys)s) AND status IN ('todo', 'doing')",
            keys=keys,
        )
        active = {r["queueing_lock"] for r in rows}
    todo = [t for t, k in zip(pending, keys) if k not in active]
    added = 0
    for i in range(0, len(todo), DEFER_CHUNK):
        chunk = todo[i:i + DEFER_CHUNK]
        jobs = [_job(batch_id, t, max_attempts) for t in chunk]
        try:
            await app_.job_manager.batch_defer_jobs_async(jobs)
            added += len(jobs)
        except pq_exceptions.AlreadyEnqueued:
            for job in jobs:  # someone else enqueued some of them just now: one by one
                try:
                    await app_.job_manager.defer_job_async(job)
                    added += 1
                except pq_exceptions.AlreadyEnqueued:
                    pass
    return EnqueueReport(batch_id, total, added, total - len(pending), len(pending) - added)


def _job(batch_id: str, t: StoredTarget, max_attempts: int):
    deferrer = audit_site_job.configure(
        lock=job_lock(t.url),
        queueing_lock=queueing_lock(batch_id, t.url, t.device),
    )
    return deferrer.make_new_job(
        batch_id=batch_id, url=t.url, device=t.device, name=t.name, sector=t.sector,
        position=t.position, max_attempts=max_attempts,
    )


async def enqueue_batch(dsn: str, batch_id: str, targets: Sequence[StoredTarget], settings_json: str,
                        *, store=None, max_attempts: int = MAX_ATTEMPTS) -> EnqueueReport:
    """Open (or extend) the batch in the store, then queue every target of it that has no
    result yet. With no `targets` this rebuilds the queue of an existing batch."""
    from auditor.store.postgres import PostgresStore

    own = store is None
    store = store or PostgresStore(dsn)
    try:
        if targets or store.batch_settings(batch_id) is None:
            store.open_batch(batch_id, list(targets), settings_json)
        total = len(store.targets(batch_id))
        pending = store.pending(batch_id)
        async with open_queue(dsn) as app_:
            return await enqueue_pending(app_, batch_id, pending, total, max_attempts)
    finally:
        if own:
            store.close()


# -- watching and repairing ------------------------------------------------------------
async def retry_stalled_jobs(app_: procrastinate.App, seconds_since_heartbeat: float) -> int:
    """Put back the jobs of workers that sent no heartbeat for that long; how many."""
    n = 0
    for job in await app_.job_manager.get_stalled_jobs(queue=QUEUE, seconds_since_heartbeat=seconds_since_heartbeat):
        try:
            await app_.job_manager.retry_job(job)
            n += 1
        except pq_exceptions.ProcrastinateException:  # another worker put it back first
            continue
    await app_.job_manager.prune_stalled_workers(seconds_since_heartbeat)
    return n


async def open_jobs(app_: procrastinate.App) -> int:
    """Jobs of the audit queue waiting or running (0: the queue is empty)."""
    row = await app_.connector.execute_query_one_async(
        "SELECT count(*) AS n FROM procrastinate_jobs WHERE queue_name = %(queue)s AND status IN ('todo', 'doing')",
        queue=QUEUE,
    )
    return int(row["n"])


async def queue_counts(app_: procrastinate.App, batch_id: str | None = None) -> dict[str, int]:
    """Jobs by status (`todo`, `doing`, `succeeded`, `failed`, ...), of one batch or all."""
    rows = await app_.connector.execute_query_all_async(
        "SELECT status::text AS status, count(*) AS n FROM procrastinate_jobs "
        "WHERE queue_name = %(queue)s AND (%(batch)s::text IS NULL OR args->>'batch_id' = %(batch)s) "
        "GROUP BY status",
        queue=QUEUE, batch=batch_id,
    )
    return {r["status"]: int(r["n"]) for r in rows}


async def live_workers(app_: procrastinate.App, seconds_since_heartbeat: float) -> int:
    row = await app_.connector.execute_query_one_async(
        "SELECT count(*) AS n FROM procrastinate_workers "
        "WHERE last_heartbeat >= now() - make_interval(secs => %(s)s)",
        s=float(seconds_since_heartbeat),
    )
    return int(row["n"])

