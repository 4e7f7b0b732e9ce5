"""The read side of the result store, written once for both SQL stores.

SQLite and PostgreSQL keep the same tables; they differ in the parameter marker (`?` or
`%s`), the column that keeps insertion order (`rowid` or a `seq` column), and how the result
JSON comes back (text, or an already decoded `jsonb`). A store class sets those three and
provides `_read(sql, args)`.
"""

from __future__ import annotations

import json
from typing import Any

from auditor.result import SiteResult
from auditor.store import HistoryEntry, StoredTarget


class SqlReads:
    PARAM = "?"
    SEQ = "rowid"

    def _read(self, sql: str, args: tuple) -> list[tuple[Any, ...]]:  # pragma: no cover - abstract
        raise NotImplementedError

    def _sql(self, sql: str) -> str:
        return sql.replace("?", self.PARAM).replace("{seq}", self.SEQ)

    @staticmethod
    def _decode(value: Any) -> dict[str, Any]:
        return json.loads(value) if isinstance(value, (str, bytes)) else value

    def pending(self, batch_id: str) -> list[StoredTarget]:
        rows = self._read(self._sql(
            "SELECT t.url, t.device, t.name, t.sector, t.position FROM targets t "
            "LEFT JOIN results r ON r.batch_id = t.batch_id AND r.url = t.url AND r.device = t.device "
            "WHERE t.batch_id = ? AND r.url IS NULL ORDER BY t.position, t.{seq}"), (batch_id,))
        return [StoredTarget(url, device, name, sector, position) for url, device, name, sector, position in rows]

    def results(self, batch_id: str) -> list[SiteResult]:
        rows = self._read(self._sql(
            "SELECT r.result_json FROM results r JOIN targets t "
            "ON t.batch_id = r.batch_id AND t.url = r.url AND t.device = r.device "
            "WHERE r.batch_id = ? ORDER BY t.position, t.{seq}"), (batch_id,))
        return [SiteResult.from_dict(self._decode(value)) for (value,) in rows]

    def batches(self) -> list[tuple[str, str, int, int]]:
        rows = self._read(self._sql(
            "SELECT b.id, b.created_at, "
            "(SELECT count(*) FROM targets t WHERE t.batch_id = b.id), "
            "(SELECT count(*) FROM results r WHERE r.batch_id = b.id) "
            "FROM batches b ORDER BY b.created_at DESC, b.{seq} DESC"), ())
        return [(str(i), str(c), int(n), int(d)) for i, c, n, d in rows]

    def latest_batch(self) -> str | None:
        rows = self._read(self._sql("SELECT id FROM batches ORDER BY created_at DESC, {seq} DESC LIMIT 1"), ())
        return str(rows[0][0]) if rows else None

    def batch_settings(self, batch_id: str) -> str | None:
        """The settings JSON a batch was opened with, None for an unknown batch."""
        rows = self._read(self._sql("SELECT settings_json FROM batches WHERE id = ?"), (batch_id,))
        return str(rows[0][0]) if rows else None

    def history(self, url: str | None = None, device: str | None = None) -> list[HistoryEntry]:
        """Results of one site (or of all), oldest first."""
        where, args = [], []
        if url is not None:
            where.append("r.url = ?")
            args.append(url)
        if device is not None:
            where.append("r.device = ?")
            args.append(device)
        rows = self._read(self._sql(
            "SELECT r.batch_id, r.finished_at, r.result_json FROM results r "
            "JOIN batches b ON b.id = r.batch_id "
            + (f"WHERE {' AND '.join(where)} " if where else "")
            + "ORDER BY r.finished_at, b.created_at, r.{seq}"), tuple(args))
        return [HistoryEntry(b, str(f), SiteResult.from_dict(self._decode(v))) for b, f, v in rows]
