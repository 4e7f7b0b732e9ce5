"""A worker: takes audit jobs from the PostgreSQL queue and saves their results.

One Chromium per worker process (`BrowserPool`: launched again when it dies), a fresh,
isolated browser context per site (`audit_site` opens one), up to `concurrency` sites at
once, and the browser closed and launched anew after `recycle_after` sites (a long-lived
Chromium grows; a fresh one keeps timings comparable across a sweep).

Per job (`_Runtime.run`):

1. the batch already has a result for the target: nothing to do (a worker that died after
   saving and before telling the queue); logged as an `already_saved` attempt;
2. the start is logged in the attempts log; when `max_attempts` earlier attempts never
   finished (their workers died), the target gets an error result `worker_lost` and is not
   audited again;
3. otherwise the site is audited with the batch's saved settings (`RESULT_KEYS`) and the
   result saved (`INSERT ... ON CONFLICT DO NOTHING`), then the attempt is closed.

Beside procrastinate's own loop a watcher runs every `poll_interval` seconds: it puts back
the jobs of workers whose heartbeat stopped (`stalled_after` seconds) and, with
`wait=False`, stops the worker once the queue has no job waiting or running.

Driving workers from a script (the benchmark): `worker_argv(WorkerOptions(...))` is the
command line of one worker process; `run_worker(WorkerOptions(...))` runs one in the
current event loop and returns its `WorkerStats`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone

from auditor.distributed import queue as q
from auditor.errors import SiteAuditError

log = logging.getLogger("auditor.distributed.worker")


@dataclass
class WorkerOptions:
    dsn: str
    concurrency: int = 1  # sites audited at once by this worker
    recycle_after: int = 50  # sites per browser launch; 0 = never recycle
    wait: bool = True  # False: exit when the queue has no job waiting or running
    name: str | None = None  # worker id in the attempts log (default host:pid)
    poll_interval: float = 2.0  # seconds between queue polls (LISTEN/NOTIFY wakes it sooner)
    heartbeat_interval: float = 5.0
    stalled_after: float = 30.0  # a worker without heartbeat this long is dead
    browser_path: str | None = None
    proxy: str | None = None
    screenshots_dir: str | None = None
    host_delay: float | None = None

    def worker_id(self) -> str:
        return self.name or f"{socket.gethostname()}:{os.getpid()}"


@dataclass
class WorkerStats:
    jobs: int = 0
    audited: int = 0
    already_saved: int = 0
    worker_lost: int = 0
    browser_launches: int = 0
    stalled_requeued: int = 0
    seconds: float = 0.0


@dataclass
class Hooks:
    """Points where a test or a benchmark script can step in (None: nothing happens).
    `before_audit(spec)` runs after the attempt is logged, `after_save(spec, inserted)`
    right after the result is committed; a test makes them kill the process."""

    before_audit: Callable[[q.JobSpec], None] | None = None
    after_save: Callable[[q.JobSpec, bool], None] | None = None


HOOKS = Hooks()


def worker_argv(opts: WorkerOptions, python: str = sys.executable) -> list[str]:
    """The command line that starts one worker process with these options."""
    argv = [python, "-m", "auditor.distributed.cli", "worker", "--db", opts.dsn,
            "--concurrency", str(opts.concurrency), "--recycle-after", str(opts.recycle_after),
            "--wait" if opts.wait else "--no-wait",
            "--poll-interval", str(opts.poll_interval), "--heartbeat", str(opts.heartbeat_interval),
            "--stalled-after", str(opts.stalled_after)]
    for flag, value in (("--name", opts.name), ("--browser", opts.browser_path), ("--proxy", opts.proxy),
                        ("--screenshots", opts.screenshots_dir)):
        if value:
            argv += [flag, value]
    if opts.host_delay is not None:
        argv += ["--host-delay", str(opts.host_delay)]
    return argv


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds").replace("+00:00", "Z")


class RecyclingBrowser:
    """A `BrowserPool` that is closed and launched anew after `recycle_after` sites, once
    the sites in flight are done (new sites wait meanwhile). Sites are counted from the
    last recycle; a browser relaunched after a crash in between is just younger."""

    def __init__(self, pool, recycle_after: int):
        self.pool = pool
        self.recycle_after = recycle_after
        self.recycles = 0
        self._in_flight = 0
        self._since_launch = 0
        self._cond = asyncio.Condition()
        self._recycling = False

    @contextlib.asynccontextmanager
    async def site(self):
        async with self._cond:
            await self._cond.wait_for(lambda: not self._recycling)
            if self.recycle_after and self._since_launch >= self.recycle_after:
                self._recycling = True
                try:
                    await self._cond.wait_for(lambda: self._in_flight == 0)
                    await self.pool.close()
                    self.recycles += 1
                    self._since_launch = 0
                finally:
                    self._recycling = False
                    self._cond.notify_all()
            self._in_flight += 1
            self._since_launch += 1
        try:
            yield self.pool
        finally:
            async with self._cond:
                self._in_flight -= 1
                self._cond.notify_all()


class _Runtime:
    """What a job needs: the store, the browser, the worker's settings."""

    def __init__(self, store, browser: RecyclingBrowser, base_settings, worker_id: str, stats: WorkerStats):
        self.store = store
        self.browser = browser
        self.base_settings = base_settings
        self.worker_id = worker_id
        self.stats = stats
        self.running = 0
        self._batches: dict[str, tuple[object, object]] = {}

    async def _db(self, fn, *args):
        return await asyncio.to_thread(fn, *args)

    async def _batch(self, batch_id: str):
        """The batch's settings (its saved `RESULT_KEYS` over this worker's) and profile."""
        if batch_id not in self._batches:
            from auditor.scoring import load_profile
            from auditor.settings import restore_batch_settings

            saved = await self._db(self.store.batch_settings, batch_id)
            settings, _ = restore_batch_settings(self.base_settings, saved or "{}")
            self._batches[batch_id] = (settings, load_profile(settings.profile))
        return self._batches[batch_id]

    async def run(self, spec: q.JobSpec) -> str:
        self.running += 1
        self.stats.jobs += 1
        try:
            return await self._run(spec)
        finally:
            self.running -= 1

    async def _run(self, spec: q.JobSpec) -> str:
        from auditor.audit import error_result
        from auditor.runner import Target, _audit_with_retry
        from auditor.scope import site_key

        store = self.store
        if await self._db(store.result, spec.batch_id, spec.url, spec.device) is not None:
            att = await self._db(store.start_attempt, spec.batch_id, spec.url, spec.device, site_key(spec.url),
                                 self.worker_id)
            await self._db(store.finish_attempt, att.id, "already_saved")
            self.stats.already_saved += 1
            return "already saved"
        settings, profile = await self._batch(spec.batch_id)
        s = settings.with_(device=spec.device)
        att = await self._db(store.start_attempt, spec.batch_id, spec.url, spec.device, site_key(spec.url),
                             self.worker_id)
        outcome = "failed"
        try:
            if att.lost_before >= spec.max_attempts:
                result = error_result(
                    spec.url, s,
                    SiteAuditError("worker_lost", f"the worker auditing this site stopped {att.lost_before} times "
                                                  "(killed, out of memory, or the machine went away); not tried again"),
                    time.monotonic(), name=spec.name, sector=spec.sector,
                )
                outcome = "worker_lost"
                self.stats.worker_lost += 1
            else:
                if HOOKS.before_audit:
                    HOOKS.before_audit(spec)
                print(f"worker {self.worker_id}: auditing {spec.url} ({spec.device}, attempt {att.attempt})",
                      file=sys.stderr, flush=True)
                async with self.browser.site() as pool:
                    result = await _audit_with_retry(pool, Target(spec.url, spec.name, spec.sector, spec.device),
                                                     s, profile)
                outcome = "saved"
                self.stats.audited += 1
            inserted = await self._db(store.save, spec.batch_id, spec.target, result, _now())
            if not inserted:
                outcome = "duplicate"
            if HOOKS.after_save:
                HOOKS.after_save(spec, inserted)
            what = f"score {result.score}" if result.status != "error" else f"error {result.error.kind}"
            print(f"worker {self.worker_id}: done {spec.url}: {result.status}, {what}, "
                  f"{result.duration_seconds:.1f} s", file=sys.stderr, flush=True)
            return f"{result.status} ({outcome})"
        except asyncio.CancelledError:
            outcome = "aborted"
            raise
        finally:
            try:
                await asyncio.shield(self._db(store.finish_attempt, att.id, outcome))
            except Exception as exc:  # the store is unreachable: the attempt stays open
                log.warning("could not close attempt %s: %s", att.id, exc)


async def run_worker(opts: WorkerOptions) -> WorkerStats:
    """Run one worker until stopped (SIGINT/SIGTERM), or with `wait=False` until the queue
    is empty. Raises `BrowserNotFound` / `StoreError` when it cannot start at all."""
    from playwright.async_api import async_playwright

    from auditor.runner import BrowserPool
    from auditor.settings import resolve_settings
    from auditor.store.postgres import PostgresStore

    started = time.monotonic()
    flags = {"db": opts.dsn, "browser_path": opts.browser_path, "proxy": opts.proxy,
             "screenshots_dir": opts.screenshots_dir, "host_delay": opts.host_delay,
             "concurrency": opts.concurrency}
    settings = resolve_settings({}, flags)
    stats = WorkerStats()
    worker_id = opts.worker_id()
    store = await asyncio.to_thread(PostgresStore, opts.dsn)
    try:
        async with async_playwright() as pw:
            pool = BrowserPool(pw, settings)
            await pool.get()  # no browser: fail now, with one clear message
            runtime = _Runtime(store, RecyclingBrowser(pool, opts.recycle_after), settings, worker_id, stats)
            q.set_job_handler(runtime.run)
            try:
                async with q.open_queue(opts.dsn, max_connections=opts.concurrency + 3) as app:
                    worker_task = asyncio.create_task(app.run_worker_async(
                        queues=[q.QUEUE], name=worker_id, concurrency=opts.concurrency, wait=True,
                        fetch_job_polling_interval=opts.poll_interval,
                        abort_job_polling_interval=max(opts.poll_interval, 1.0),
                        update_heartbeat_interval=opts.heartbeat_interval,
                        stalled_worker_timeout=opts.stalled_after,
                        install_signal_handlers=True,
                    ))
                    watcher = asyncio.create_task(_watch(app, opts, runtime, stats, worker_task))
                    try:
                        await worker_task
                    except asyncio.CancelledError:
                        if not worker_task.cancelled():
                            raise
                    finally:
                        watcher.cancel()
                        with contextlib.suppress(asyncio.CancelledError):
                            await watcher
            finally:
                q.set_job_handler(None)
                stats.browser_launches = pool.launches
                await pool.close()
    finally:
        store.close()
        stats.seconds = round(time.monotonic() - started, 2)
    return stats


async def _watch(app, opts: WorkerOptions, runtime: _Runtime, stats: WorkerStats, worker_task: asyncio.Task) -> None:
    """Put back stalled jobs; with --no-wait stop the worker when the queue is empty."""
    while True:
        await asyncio.sleep(opts.poll_interval)
        try:
            stats.stalled_requeued += await q.retry_stalled_jobs(app, opts.stalled_after)
            if not opts.wait and runtime.running == 0 and await q.open_jobs(app) == 0:
                print(f"worker {runtime.worker_id}: the queue is empty, stopping", file=sys.stderr, flush=True)
                worker_task.cancel()  # procrastinate stops gracefully (no job is running)
                return
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # the database went away for a moment: try again later
            log.warning("queue watcher: %s", exc)
