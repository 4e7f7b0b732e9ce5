"""Where finished audits are kept: the truth for resume, reports and history.

One small interface (`ResultStore`) with two implementations: SQLite for one machine
(`auditor/store/sqlite.py`) and PostgreSQL for several (`auditor/store/postgres.py`, in the
`distributed` extra). `open_store(db)` picks one from `--db`: a file path is SQLite, a
`postgresql://` URL is PostgreSQL.

Contract (tested against both, `tests/test_store_contract.py`):
- a result is keyed by (batch id, url, device); saving the same key twice keeps the first
  (`INSERT ... ON CONFLICT DO NOTHING`) and `save` says whether it inserted;
- `save` is durable when it returns (committed), so a killed process loses at most the
  sites in flight;
- `pending(batch)` is what a batch still lacks: the targets with no result, in input order;
- `results(batch)` is in input order; `history` is oldest first (by `finished_at`);
- `batch_settings(batch)` is the settings JSON the batch was first opened with;
- a store that cannot be opened, read or written raises `auditor.errors.StoreError`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from auditor.result import SiteResult


@dataclass(frozen=True)
class StoredTarget:
    url: str
    device: str = "desktop"
    name: str | None = None
    sector: str | None = None
    position: int = 0  # input order


@dataclass(frozen=True)
class HistoryEntry:
    batch_id: str
    finished_at: str  # ISO 8601 UTC
    result: SiteResult


class ResultStore(Protocol):
    def open_batch(self, batch_id: str, targets: list[StoredTarget], settings_json: str) -> None:
        """Create the batch (or add only the targets it does not have yet)."""

    def pending(self, batch_id: str) -> list[StoredTarget]: ...

    def save(self, batch_id: str, target: StoredTarget, result: SiteResult, finished_at: str) -> bool: ...

    def results(self, batch_id: str) -> list[SiteResult]: ...

    def batches(self) -> list[tuple[str, str, int, int]]:
        """(batch id, created at, targets, results) newest first."""

    def latest_batch(self) -> str | None: ...

    def batch_settings(self, batch_id: str) -> str | None:
        """The settings JSON the batch was opened with; None for an unknown batch."""

    def history(self, url: str | None = None, device: str | None = None) -> list[HistoryEntry]: ...

    def close(self) -> None: ...


def open_store(db: str) -> ResultStore:
    if db.startswith(("postgresql://", "postgres://")):
        from auditor.store.postgres import PostgresStore

        return PostgresStore(db)
    from auditor.store.sqlite import SqliteStore

    return SqliteStore(db)
