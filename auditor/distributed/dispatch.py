"""How a batch's sites get audited: a small interface, so another engine can replace one.

A `Dispatcher` takes a batch (its id, targets and saved settings) and gets every target
that has no result in the store audited, each result saved in the store, exactly once. The
store is the truth; a dispatcher only moves work. Two implementations:

* `LocalDispatcher`: here and now, in this process, with `auditor.runner.run_targets`
  (one browser, `settings.concurrency` sites at once); `submit` returns when the batch is
  done;
* `QueueDispatcher`: into the PostgreSQL queue (procrastinate); `submit` returns at once
  and the workers (`contact-auditor worker`, on any number of machines) do the audits.

Another engine (a cloud queue, a batch scheduler) implements `submit` the same way: open
the batch in the store, hand out `store.pending(batch_id)`, have each audit saved with
`store.save` (`INSERT ... ON CONFLICT DO NOTHING`), and it inherits resume for free.
"""

from __future__ import annotations

import asyncio
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

from auditor.result import SiteResult
from auditor.store import ResultStore, StoredTarget


@dataclass(frozen=True)
class DispatchReport:
    batch_id: str
    targets: int  # in the batch
    submitted: int  # handed out now (audited, for the local dispatcher; queued, for the queue)
    done: int  # had a result already
    in_progress: int = 0  # already queued or running elsewhere (queue only)


class Dispatcher(ABC):
    name: str = "?"

    @abstractmethod
    def submit(self, batch_id: str, targets: Sequence[StoredTarget], settings_json: str) -> DispatchReport:
        """Open (or extend) the batch and get its targets without a result audited."""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds").replace("+00:00", "Z")


class LocalDispatcher(Dispatcher):
    """Audit in this process with `run_targets`; each result is saved the moment it is done."""

    name = "local"

    def __init__(self, store: ResultStore, settings, profile,
                 on_start: Callable | None = None, on_result: Callable | None = None):
        self.store = store
        self.settings = settings
        self.profile = profile
        self.on_start = on_start
        self.on_result = on_result

    def submit(self, batch_id: str, targets: Sequence[StoredTarget], settings_json: str) -> DispatchReport:
        return asyncio.run(self.submit_async(batch_id, targets, settings_json))

    async def submit_async(self, batch_id: str, targets: Sequence[StoredTarget], settings_json: str) -> DispatchReport:
        from auditor.runner import Target, run_targets
        from auditor.settings import restore_batch_settings

        self.store.open_batch(batch_id, list(targets), settings_json)
        settings, _ = restore_batch_settings(self.settings, self.store.batch_settings(batch_id) or settings_json)
        pending = self.store.pending(batch_id)
        total = len(pending) + len(self.store.results(batch_id))
        by_target = {}
        run = []
        for t in pending:
            rt = Target(t.url, t.name, t.sector, t.device)
            by_target[id(rt)] = t
            run.append(rt)

        def saved(rt: Target, result: SiteResult) -> None:
            self.store.save(batch_id, by_target[id(rt)], result, _now())
            if self.on_result:
                self.on_result(rt, result)

        await run_targets(run, settings, self.profile, on_start=self.on_start, on_result=saved)
        return DispatchReport(batch_id, total, len(pending), total - len(pending))


class QueueDispatcher(Dispatcher):
    """Put the batch's targets without a result on the PostgreSQL queue for the workers."""

    name = "procrastinate"

    def __init__(self, dsn: str, store=None):
        self.dsn = dsn
        self.store = store

    def submit(self, batch_id: str, targets: Sequence[StoredTarget], settings_json: str) -> DispatchReport:
        return asyncio.run(self.submit_async(batch_id, targets, settings_json))

    async def submit_async(self, batch_id: str, targets: Sequence[StoredTarget], settings_json: str) -> DispatchReport:
        from auditor.distributed.queue import enqueue_batch

        r = await enqueue_batch(self.dsn, batch_id, targets, settings_json, store=self.store)
        return DispatchReport(r.batch_id, r.targets, r.added, r.done, r.queued)

