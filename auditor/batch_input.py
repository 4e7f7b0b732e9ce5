"""What a batch audits: URLs from the command line and from an input file.

An input file (`--input FILE`, or `-` for stdin, UTF-8) is one of:

* a URL list: one URL a line; blank lines, lines starting with `#` and anything after
  ` #` on a line are ignored;
* a CSV table with a header row that has a `url` column, and optionally `name`, `sector`
  and `device` (`desktop` or `mobile`); other columns are ignored, header names are read
  without case, the separator may be `,`, `;` (spreadsheets set to a Swedish locale) or a
  tab. A file is read as CSV when its name ends in `.csv` or its first line names a `url`
  column.

A URL without a scheme gets `https://`. A row that cannot be audited (not a web address,
an unknown device, the same site and device as an earlier row) is a `InputProblem` naming
its line; the other rows are kept. The command line reports the problems and audits the
rest (`auditor/cli.py`). Two URLs are the same site when `auditor/scope.py normalise`
makes them equal; the query string counts (`/?n=1` and `/?n=2` are two sites).
"""

from __future__ import annotations

import csv
import io
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from auditor.errors import UsageError
from auditor.runner import Target
from auditor.scope import normalise

DEVICES = ("desktop", "mobile")
CSV_COLUMNS = ("url", "name", "sector", "device")
CSV_SEPARATORS = (",", ";", "\t")
_INLINE_COMMENT = re.compile(r"\s+#.*$")


@dataclass(frozen=True)
class InputProblem:
    source: str  # the file name as given ("-" is stdin)
    line: int  # 1-based
    message: str

    def text(self) -> str:
        where = "stdin" if self.source == "-" else self.source
        return f"{where} line {self.line}: {self.message}"


@dataclass(frozen=True)
class BatchInput:
    targets: tuple[Target, ...]  # in input order, each with its device set
    problems: tuple[InputProblem, ...]


def check_url(text: str) -> str:
    """`text` as a URL to audit (`https://` added when there is no scheme), or ValueError."""
    u = text.strip()
    added = "://" not in u
    if added:
        u = "https://" + u
    bad = ValueError(f"not a web address: {text.strip()!r} (expected e.g. https://www.example.se/)")
    try:
        p = urlsplit(u)
        p.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        raise bad from None
    host = p.hostname or ""
    # A host is a name with a dot, an IP address, or localhost ("htp:/x" is not "htp").
    if p.scheme not in ("http", "https") or not host or any(c.isspace() for c in u):
        raise bad
    if "." not in host and ":" not in host and host != "localhost":
        raise bad
    if added and "@" in p.netloc:  # "mailto:a@b.se" is not the site b.se with a user "mailto"
        raise bad
    return u


def read_targets(urls: Sequence[str], input_path: str | None, default_device: str) -> BatchInput:
    """The targets of the command-line URLs (a bad one is a `UsageError`; a repeat is
    dropped), then those of the input file (a bad row or a repeat is an `InputProblem`)."""
    given: list[Target] = []
    for u in urls:
        try:
            given.append(Target(check_url(u), device=default_device))
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    first = _without_repeats(given, [])
    if not input_path:
        return first
    parsed = parse_input(_read(input_path), input_path, default_device, earlier=first.targets)
    return BatchInput(first.targets + parsed.targets, parsed.problems)


def parse_input(
    text: str, source: str, default_device: str, earlier: Sequence[Target] = ()
) -> BatchInput:
    """An input file's targets and problems (URL list or CSV, see the module docstring).
    A row repeating one of `earlier` (the command line's) is a problem too."""
    if source.lower().endswith(".csv") or _csv_separator(_first_line(text)) is not None:
        return parse_csv(text, source, default_device, earlier)
    return parse_url_list(text, source, default_device, earlier)


def parse_url_list(
    text: str, source: str, default_device: str, earlier: Sequence[Target] = ()
) -> BatchInput:
    targets: list[Target] = []
    problems: list[InputProblem] = []
    lines: list[int] = []
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        line = _INLINE_COMMENT.sub("", line)
        try:
            targets.append(Target(check_url(line), device=default_device))
            lines.append(n)
        except ValueError as exc:
            problems.append(InputProblem(source, n, str(exc)))
    return _without_repeats(targets, problems, source, lines, earlier)


def parse_csv(
    text: str, source: str, default_device: str, earlier: Sequence[Target] = ()
) -> BatchInput:
    first = _first_line(text)
    sep = _csv_separator(first)
    if sep is None:
        raise UsageError(f"{_where(source)}: a CSV input needs a header row with a 'url' column")
    reader = csv.reader(io.StringIO(text), delimiter=sep)
    header: list[str] | None = None
    targets: list[Target] = []
    lines: list[int] = []
    problems: list[InputProblem] = []
    end = 0
    for row in reader:
        start, end = end + 1, reader.line_num
        cells = [c.strip() for c in row]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if header is None:
            header = [c.lower() for c in cells]
            continue
        record = {col: (cells[i] if i < len(cells) else "") for i, col in enumerate(header) if col in CSV_COLUMNS}
        try:
            targets.append(_csv_target(record, default_device))
            lines.append(start)
        except ValueError as exc:
            problems.append(InputProblem(source, start, str(exc)))
    return _without_repeats(targets, problems, source, lines, earlier)


def _csv_target(record: dict[str, str], default_device: str) -> Target:
    if not record.get("url"):
        raise ValueError("no URL in the 'url' column")
    device = (record.get("device") or "").lower() or default_device
    if device not in DEVICES:
        raise ValueError(f"unknown device {record['device']!r} (expected desktop or mobile)")
    return Target(
        check_url(record["url"]),
        name=record.get("name") or None,
        sector=record.get("sector") or None,
        device=device,
    )


def _without_repeats(
    targets: list[Target],
    problems: list[InputProblem],
    source: str | None = None,
    lines: list[int] | None = None,
    earlier: Sequence[Target] = (),
) -> BatchInput:
    """Drop a target whose site and device came earlier (in a file: with a problem)."""
    seen: dict[tuple[str, str | None], int | None] = {(normalise(t.url), t.device): None for t in earlier}
    kept: list[Target] = []
    out = list(problems)
    for i, t in enumerate(targets):
        key = (normalise(t.url), t.device)
        line = lines[i] if lines is not None else None
        if key in seen:
            if source is not None and line is not None:
                first = seen[key]
                where = f"line {first}" if first is not None else "the command line"
                out.append(InputProblem(source, line, f"{t.url} ({t.device}) is already on {where}"))
            continue
        seen[key] = line
        kept.append(t)
    out.sort(key=lambda p: (p.source, p.line))
    return BatchInput(tuple(kept), tuple(out))


def _read(path: str) -> str:
    try:
        raw = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except FileNotFoundError:
        raise UsageError(f"no such input file: {path}") from None
    except OSError as exc:
        raise UsageError(f"cannot read the input file {path}: {exc.strerror or exc}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{_where(path)} is not UTF-8 text (byte {exc.start}); save it as UTF-8") from None


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            return line
    return ""


def _csv_separator(header_line: str) -> str | None:
    """The separator that makes `header_line` a header with a `url` column, if one does."""
    if header_line.strip().strip('"').strip().lower() == "url":
        return ","  # a table of one column
    for sep in CSV_SEPARATORS:
        if sep in header_line:
            cells = next(csv.reader([header_line], delimiter=sep), [])
            if "url" in (c.strip().lower() for c in cells):
                return sep
    return None


def _where(source: str) -> str:
    return "stdin" if source == "-" else source
