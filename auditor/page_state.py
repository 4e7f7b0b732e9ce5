"""What the visitor can perceive in one state of one page.

A `PageState` is the artifact the browser side gathers (see `auditor/js/collect.js`) and
the only thing the detectors in `checks/` ever look at: they are pure functions of it, so
a saved state can be audited again without a browser.

Everything in a state is *visible* (spec section 3): text in hidden elements
(`display:none`, `visibility:hidden`, `hidden`, zero size, off-screen, clipped by a
collapsed ancestor), attribute values, comments, `<noscript>`, `<meta>` and scripts never
reach it. The two exceptions are explicit and named so: `scripts`/`globals` (which chat
vendor *loaded*, for the `chat_script_without_launcher` finding) and `jsonld` (machine-
readable contact data, reported separately and never counted as found).

Element keys (`key`) are stable for the lifetime of a DOM node within one page load, so
the explorer can tell what a click newly revealed by comparing two states.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

#: Page regions, from the nearest landmark ancestor. Used by findings (is the contact link
#: in the header?) and by WCAG 3.2.6 "Consistent Help" (relative order of help mechanisms).
REGIONS = ("header", "nav", "main", "aside", "footer", "dialog", "other")


@dataclass(frozen=True)
class TextBlock:
    """Visible text of one block-level element (inline children joined), or an image's alt."""

    key: int
    text: str
    source: str = "text"  # "text" | "alt"
    y: float = 0.0  # document y of the block's top, CSS px
    region: str = "other"
    selector: str = ""


@dataclass(frozen=True)
class Link:
    """A visible `<a href>` (or `area`). `text` is the visible text, else the accessible name."""

    key: int
    href: str  # absolute URL as resolved by the browser (tel:, mailto: kept as they are)
    text: str
    y: float = 0.0
    x: float = 0.0
    region: str = "other"
    selector: str = ""
    new_tab: bool = False


@dataclass(frozen=True)
class Control:
    """A visible element a person can activate that does not (obviously) navigate:
    buttons, `<summary>`, tabs, `aria-expanded` toggles, `href="#"` links."""

    key: int
    tag: str
    text: str  # visible text, else accessible name (aria-label, title)
    role: str = ""
    expanded: bool | None = None  # aria-expanded, or the `open` state of a <details>
    selected: bool | None = None  # aria-selected for tabs
    haspopup: str = ""
    controls: str = ""  # aria-controls id
    kind: str = "button"  # "summary" | "tab" | "toggle" | "button" | "link"
    submit: bool = False  # a form's submit button: never clicked by the explorer
    in_form: bool = False
    region: str = "other"
    selector: str = ""
    signature: str = ""  # the same control on another page of the site has the same one
    y: float = 0.0
    fixed: bool = False  # itself or an ancestor is position:fixed (a floating button)


@dataclass(frozen=True)
class FormField:
    tag: str  # input | textarea | select | contenteditable
    type: str = ""  # input type
    name: str = ""
    label: str = ""  # visible label or accessible name


@dataclass(frozen=True)
class FormInfo:
    """A visible `<form>`, or a form-like group (`role=form`, or a container holding a
    `<textarea>` and a button) when the page has no `<form>` element around the fields."""

    key: int
    is_form_element: bool
    fields: tuple[FormField, ...] = ()
    submit_texts: tuple[str, ...] = ()
    role: str = ""
    action: str = ""
    text: str = ""  # headings/labels inside, for telling contact from newsletter forms
    region: str = "other"
    selector: str = ""
    y: float = 0.0


@dataclass(frozen=True)
class FrameInfo:
    """An `<iframe>` element as seen from its parent document."""

    key: int
    src: str = ""
    title: str = ""
    name: str = ""
    elem_id: str = ""
    classes: str = ""
    visible: bool = False
    fixed: bool = False  # itself or an ancestor is position:fixed (a floating widget)
    width: float = 0.0
    height: float = 0.0
    selector: str = ""
    text: str = ""  # visible text inside, when the frame was readable (same origin/srcdoc)


@dataclass(frozen=True)
class DomMatch:
    """A match of one vendor or consent-platform selector (shadow roots searched)."""

    selector: str
    key: int
    visible: bool
    text: str = ""
    fixed: bool = False


@dataclass(frozen=True)
class CfEmail:
    """A visible element protected by Cloudflare e-mail obfuscation (`data-cfemail`, or a
    `/cdn-cgi/l/email-protection#hex` link)."""

    key: int
    encoded: str
    selector: str = ""
    y: float = 0.0
    region: str = "other"


@dataclass(frozen=True)
class PageState:
    url: str
    title: str = ""
    lang: str = ""
    viewport_width: float = 1366.0
    viewport_height: float = 768.0
    page_height: float = 0.0
    blocks: tuple[TextBlock, ...] = ()
    links: tuple[Link, ...] = ()
    controls: tuple[Control, ...] = ()
    forms: tuple[FormInfo, ...] = ()
    frames: tuple[FrameInfo, ...] = ()
    cf_emails: tuple[CfEmail, ...] = ()
    dom_matches: tuple[DomMatch, ...] = ()  # answers to the selectors the caller asked for
    scripts: tuple[str, ...] = ()  # every <script src> in the document, loaded or not
    globals: tuple[str, ...] = ()  # which of the asked-for window globals exist
    jsonld: tuple[str, ...] = ()  # raw text of <script type="application/ld+json">
    hover_targets: tuple[Control, ...] = ()  # visible items whose subtree hides links
    extra: dict[str, Any] = field(default_factory=dict)

    def visible_keys(self) -> set[int]:
        keys = {b.key for b in self.blocks} | {lk.key for lk in self.links}
        keys |= {c.key for c in self.controls} | {f.key for f in self.forms}
        keys |= {f.key for f in self.frames if f.visible} | {e.key for e in self.cf_emails}
        keys |= {m.key for m in self.dom_matches if m.visible}
        return keys

    # -- (de)serialisation, for --save-snapshot / --from-snapshot and tests ------------
    def to_dict(self) -> dict[str, Any]:
        return _to_plain(self)

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> "PageState":
        """Build a state from the collector's JSON (or a saved snapshot). Unknown keys are
        ignored so that old snapshots still load."""

        def build(kind: type, item: dict[str, Any]) -> Any:
            names = {f.name for f in fields(kind)}
            kw = {k: v for k, v in item.items() if k in names}
            if kind is FormInfo:
                kw["fields"] = tuple(build(FormField, f) for f in item.get("fields", ()))
                kw["submit_texts"] = tuple(item.get("submit_texts", ()))
            return kind(**kw)

        nested = {
            "blocks": TextBlock,
            "links": Link,
            "controls": Control,
            "forms": FormInfo,
            "frames": FrameInfo,
            "cf_emails": CfEmail,
            "dom_matches": DomMatch,
            "hover_targets": Control,
        }
        kw: dict[str, Any] = {}
        for f in fields(cls):
            if f.name not in raw:
                continue
            value = raw[f.name]
            if f.name in nested:
                value = tuple(build(nested[f.name], v) for v in value or ())
            elif f.name in ("scripts", "globals", "jsonld"):
                value = tuple(value or ())
            kw[f.name] = value
        return cls(**kw)


def _to_plain(obj: Any) -> Any:
    if hasattr(obj, "__dataclass_fields__"):
        return {f.name: _to_plain(getattr(obj, f.name)) for f in fields(obj)}
    if isinstance(obj, (list, tuple)):
        return [_to_plain(v) for v in obj]
    if isinstance(obj, dict):
        return {k: _to_plain(v) for k, v in obj.items()}
    return obj
