"""`--shard K/N`: audit a stable share of the input on each of N machines, without a queue.

A target belongs to shard `1 + H mod N` where H is the first 8 bytes of SHA-256 over its
normalised URL (`auditor.scope.normalise`) and device. So the shards of one input are
disjoint, together are the whole input, do not depend on input order or on which other
sites are in it, and are the same on every machine and Python version (no `hash()`, which
is salted per process). `merge` joins the N result documents afterwards.

For the audit command (wired by `auditor/cli.py`):

    add_shard_option(parser)                 # adds --shard K/N
    targets = select_shard(targets, args.shard, default_device=settings.device)
"""

from __future__ import annotations

import argparse
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from auditor.scope import normalise


@dataclass(frozen=True)
class Shard:
    index: int  # 1-based
    count: int

    def __post_init__(self) -> None:
        if self.count < 1 or not 1 <= self.index <= self.count:
            raise ValueError(f"shard {self.index}/{self.count}: expected 1 <= K <= N")

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"

    def contains(self, url: str, device: str) -> bool:
        return shard_of(url, device, self.count) == self.index


def shard_of(url: str, device: str, count: int) -> int:
    """The shard (1..count) a target belongs to."""
    digest = hashlib.sha256(f"{normalise(url)}\n{device}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % count + 1


def parse_shard(text: str) -> Shard:
    """`"2/3"` -> Shard(2, 3); an argparse `type=`."""
    try:
        k, n = text.split("/")
        return Shard(int(k), int(n))
    except ValueError:
        raise argparse.ArgumentTypeError(f"a shard is K/N with 1 <= K <= N, e.g. 2/3, not {text!r}") from None


def add_shard_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--shard", type=parse_shard, metavar="K/N",
        help="audit only share K of N of the input (stable by URL and device); join the N "
             "result documents with `contact-auditor merge`",
    )


T = TypeVar("T")


def select_shard(targets: Sequence[T], shard: Shard | None, default_device: str = "desktop") -> list[T]:
    """The targets of `shard`, in input order (all of them when `shard` is None). A target
    is anything with `.url` and `.device` (None: `default_device`)."""
    if shard is None:
        return list(targets)
    return [t for t in targets if shard.contains(t.url, getattr(t, "device", None) or default_device)]
