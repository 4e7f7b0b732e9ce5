"""Join result documents into one (`contact-auditor merge A.json B.json ... --json OUT`).

For the shards of one input, or a sweep finished in several runs. Rules:

* every document must have the same `schema` (`contact-auditor/N`); otherwise it is an
  error, never a silent mix of two formats;
* a site is (url, device); when it is in several documents the one from the newest
  document (`generated_at`) wins; of equal age, the later on the command line;
* sites keep the order of first appearance; the merged document's `generated_at`, tool and
  scoring profile are those of the newest input.

Documents are merged as JSON, so fields a newer minor version added are kept as they are.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from auditor.errors import UsageError
from auditor.result import SCHEMA, ResultDocument


class MergeError(UsageError):
    """Documents that cannot be merged (different schemas, not result documents)."""


def load_document(path: str | Path) -> dict[str, Any]:
    p = Path(path)
    try:
        doc = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise MergeError(f"no such file: {p}") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise MergeError(f"{p} is not a JSON result document: {exc}") from None
    if not isinstance(doc, dict) or "schema" not in doc or not isinstance(doc.get("sites"), list):
        raise MergeError(f"{p} is not a result document (no schema or sites)")
    return doc


def merge_documents(docs: Sequence[dict[str, Any]], names: Sequence[str] | None = None) -> dict[str, Any]:
    if not docs:
        raise MergeError("nothing to merge")
    names = list(names or [f"document {i + 1}" for i in range(len(docs))])
    schemas = {d.get("schema") for d in docs}
    if len(schemas) > 1:
        listing = ", ".join(f"{n}: {d.get('schema')!r}" for n, d in zip(names, docs))
        raise MergeError(f"the documents have different schemas ({listing}); merge only one version")
    if docs[0].get("schema") == SCHEMA:
        for name, d in zip(names, docs):
            try:
                ResultDocument.from_dict(d)
            except (ValueError, KeyError, TypeError, AttributeError) as exc:
                raise MergeError(f"{name}: {exc}") from None
    # Oldest first, so that a newer document overwrites; ties keep command-line order.
    order = sorted(range(len(docs)), key=lambda i: (str(docs[i].get("generated_at") or ""), i))
    first_seen: dict[tuple[str, str], int] = {}
    for d in docs:
        for s in d["sites"]:
            first_seen.setdefault(_key(s), len(first_seen))
    chosen: dict[tuple[str, str], dict[str, Any]] = {}
    for i in order:
        for s in docs[i]["sites"]:
            chosen[_key(s)] = s
    newest = docs[order[-1]]
    merged = {k: v for k, v in newest.items() if k != "sites"}
    merged["sites"] = [chosen[k] for k in sorted(chosen, key=first_seen.__getitem__)]
    return merged


def merge_files(paths: Sequence[str | Path]) -> dict[str, Any]:
    return merge_documents([load_document(p) for p in paths], [str(p) for p in paths])


def _key(site: dict[str, Any]) -> tuple[str, str]:
    return (str(site.get("url")), str(site.get("device") or "desktop"))
