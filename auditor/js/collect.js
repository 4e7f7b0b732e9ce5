// Gathers what a person can perceive in the current state of a document.
//
// Evaluated by Playwright as a function: page.evaluate(COLLECT_JS, args) with
//   args = {selectors: [css...], globals: [name...], maxBlocks: n}
// or that object as one JSON string (cheaper to send: Playwright checks every item of a
// structured argument in Python, and this runs several times per page).
// and returns the shape of auditor/page_state.py:PageState as a JSON string.
//
// "Visible" follows spec section 3: an element counts when it is rendered
// (checkVisibility with opacity and visibility), has a size of at least 2x2 CSS px,
// is not off-screen (left/top of the document, or right of a document that cannot
// scroll sideways), and is not clipped away by an ancestor with overflow hidden/clip
// (collapsed accordions, max-height:0 panels). Text is read from text nodes, never
// from attributes, comments, <noscript>, <template>, <script> or <style>.
//
// Elements get a key that stays the same for the life of the DOM node, so two
// states of one page load can be compared: what a click newly revealed is the set
// of keys visible after it that were not visible before.
(args) => {
  if (typeof args === "string") args = JSON.parse(args);
  const ca = window.__contactAuditor || (window.__contactAuditor = { ids: new WeakMap(), byKey: new Map(), next: 1 });
  const keyOf = (el) => {
    let k = ca.ids.get(el);
    if (!k) { k = ca.next++; ca.ids.set(el, k); ca.byKey.set(k, el); }
    return k;
  };
  ca.keyOf = keyOf;
  const MAX_BLOCKS = args.maxBlocks || 4000;
  const SKIP = new Set(["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "HEAD", "META", "LINK", "TITLE", "SVG:TITLE"]);
  const vw = window.innerWidth, vh = window.innerHeight;
  const sx = window.scrollX, sy = window.scrollY;
  const se = document.scrollingElement || document.documentElement;
  const canScrollX = se.scrollWidth > vw + 1;
  const styleCache = new Map();
  const style = (el) => { let s = styleCache.get(el); if (!s) { s = getComputedStyle(el); styleCache.set(el, s); } return s; };
  const parentOf = (el) => el.assignedSlot || el.parentElement || (el.parentNode && el.parentNode.host) || null;

  // The rectangle (viewport coordinates) that ancestors clip an element's box to
  // (`clipOf`), and the one an element clips its own content to (`innerClip`).
  const INF = { l: -1e9, t: -1e9, r: 1e9, b: 1e9 };
  const clipCache = new Map(), innerCache = new Map();
  const hiddenOverflow = (o) => o === "hidden" || o === "clip";
  const innerClip = (el) => {
    if (innerCache.has(el)) return innerCache.get(el);
    let clip = clipOf(el);
    const s = style(el);
    const ox = s.overflowX, oy = s.overflowY;
    const cssClip = s.clip && s.clip !== "auto" && (s.position === "absolute" || s.position === "fixed");
    if (hiddenOverflow(ox) || hiddenOverflow(oy) || ox === "auto" || ox === "scroll" || oy === "auto" || oy === "scroll" || cssClip) {
      const r = el.getBoundingClientRect();
      const scrolls = !hiddenOverflow(ox) && !hiddenOverflow(oy) && !cssClip;
      // A scroll container can be scrolled to: only a collapsed one hides its content.
      if (!scrolls || r.width < 2 || r.height < 2) {
        const cx = hiddenOverflow(ox) || cssClip || r.width < 2, cy = hiddenOverflow(oy) || cssClip || r.height < 2;
        clip = {
          l: cx ? Math.max(clip.l, r.left) : clip.l, r: cx ? Math.min(clip.r, r.right) : clip.r,
          t: cy ? Math.max(clip.t, r.top) : clip.t, b: cy ? Math.min(clip.b, r.bottom) : clip.b,
        };
      }
    }
    innerCache.set(el, clip);
    return clip;
  };
  const clipOf = (el) => {
    if (clipCache.has(el)) return clipCache.get(el);
    const p = parentOf(el);
    const clip = p && style(el).position !== "fixed" ? innerClip(p) : INF;
    clipCache.set(el, clip);
    return clip;
  };
  const rectShows = (r, clip) => {
    if (r.width < 2 || r.height < 2) return false;
    if (r.right + sx <= 0 || r.bottom + sy <= 0) return false; // off-screen left/top
    if (!canScrollX && r.left >= vw) return false; // off-screen right, no sideways scroll
    const w = Math.min(r.right, clip.r) - Math.max(r.left, clip.l);
    const h = Math.min(r.bottom, clip.b) - Math.max(r.top, clip.t);
    return w >= 2 && h >= 2;
  };
  const visCache = new Map();
  const visible = (el) => {
    if (visCache.has(el)) return visCache.get(el);
    let v = false;
    try {
      if (el.checkVisibility && !el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) v = false;
      else if (!el.checkVisibility && (style(el).display === "none" || style(el).visibility !== "visible")) v = false;
      else {
        const r = el.getBoundingClientRect();
        if (r.width < 2 || r.height < 2) {
          // an inline wrapper may have no box of its own while its children do
          v = style(el).display === "contents" || (style(el).display.startsWith("inline") && el.getClientRects().length > 0 && [...el.getClientRects()].some((cr) => rectShows(cr, clipOf(el))));
        } else v = rectShows(r, clipOf(el));
      }
    } catch (e) { v = false; }
    visCache.set(el, v);
    return v;
  };
  // Rendered (not display:none etc.) but possibly tiny: used for text nodes, whose own
  // rectangles decide.
  const rendered = (el) => {
    try {
      if (el.checkVisibility) return el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true });
      const s = style(el); return s.display !== "none" && s.visibility === "visible";
    } catch (e) { return false; }
  };
  const textNodeShows = (node) => {
    const el = node.parentElement || (node.parentNode && node.parentNode.host);
    if (!el || !rendered(el)) return false;
    const range = document.createRange();
    range.selectNodeContents(node);
    const clip = innerClip(el);
    for (const r of range.getClientRects()) if (rectShows(r, clip)) return true;
    return false;
  };

  const isInlineish = (el) => {
    const d = style(el).display;
    return d === "contents" || d.startsWith("inline") || d === "ruby";
  };
  // The landmark an element belongs to. A <header>/<footer> inside article, aside, main,
  // nav or section is not the page's banner/contentinfo (HTML-AAM), and a navigation inside
  // the main content is part of the main content.
  const region = (el) => {
    const chain = [];
    for (let e = el; e; e = parentOf(e)) if (e.tagName) chain.push(e);
    const tagOf = (e) => e.tagName.toLowerCase();
    const roleOf = (e) => (e.getAttribute("role") || "").toLowerCase();
    if (chain.some((e) => tagOf(e) === "dialog" || ["dialog", "alertdialog"].includes(roleOf(e)) || e.getAttribute("aria-modal") === "true")) return "dialog";
    const sectioning = (i) => chain.slice(i + 1).some((e) => ["article", "aside", "main", "nav", "section"].includes(tagOf(e)));
    const inMain = (i) => chain.slice(i + 1).some((e) => tagOf(e) === "main" || roleOf(e) === "main");
    for (let i = 0; i < chain.length; i++) {
      const e = chain[i], t = tagOf(e), role = roleOf(e);
      if (t === "header" || role === "banner") { if (role === "banner" || !sectioning(i)) return "header"; continue; }
      if (t === "footer" || role === "contentinfo") { if (role === "contentinfo" || !sectioning(i)) return "footer"; continue; }
      if (t === "nav" || role === "navigation") return inMain(i) ? "main" : "nav";
      if (t === "main" || role === "main") return "main";
      if (t === "aside" || role === "complementary") return inMain(i) ? "main" : "aside";
    }
    return "other";
  };
  const cssPath = (el) => {
    const parts = [];
    for (let e = el, i = 0; e && e.tagName && i < 4; e = parentOf(e), i++) {
      let p = e.tagName.toLowerCase();
      if (e.id) { parts.unshift(p + "#" + CSS.escape(e.id)); break; }
      const cls = (typeof e.className === "string" ? e.className : "").trim().split(/\s+/).filter(Boolean).slice(0, 2);
      if (cls.length) p += "." + cls.map((c) => CSS.escape(c)).join(".");
      parts.unshift(p);
    }
    return parts.join(" > ");
  };
  const docY = (el) => { try { return Math.round(el.getBoundingClientRect().top + sy); } catch (e) { return 0; } };
  const clean = (s) => (s || "").replace(/[\u00a0\u2007\u202f]/g, " ").replace(/[ \t\r\f\v]+/g, " ").replace(/ *\n */g, "\n").replace(/\n{2,}/g, "\n").trim();
  const fixedCache = new Map();
  const isFixed = (el) => {
    if (!el || !el.tagName) return false;
    if (fixedCache.has(el)) return fixedCache.get(el);
    const f = style(el).position === "fixed" || isFixed(parentOf(el));
    fixedCache.set(el, f);
    return f;
  };

  // ---- walk the flat tree once, open shadow roots included ----------------------
  const elements = [];
  const blockText = new Map(); // block element -> [pieces]
  const blockOrder = [];
  const visibleTextOf = new Map(); // element -> visible text of its subtree (links/controls)
  const walk = (root, inheritedBlock) => {
    for (let n = root.firstChild; n; n = n.nextSibling) {
      if (n.nodeType === 3) {
        const txt = n.nodeValue;
        if (!txt || !txt.trim()) {
          if (txt && inheritedBlock && blockText.has(inheritedBlock)) blockText.get(inheritedBlock).push(" ");
          continue;
        }
        if (!inheritedBlock || !textNodeShows(n)) continue;
        if (!blockText.has(inheritedBlock)) { blockText.set(inheritedBlock, []); blockOrder.push(inheritedBlock); }
        blockText.get(inheritedBlock).push(txt);
        continue;
      }
      if (n.nodeType !== 1) continue;
      const el = n;
      const tag = el.tagName.toUpperCase();
      if (SKIP.has(tag)) continue;
      elements.push(el);
      let block = inheritedBlock;
      if (tag === "BR") { if (block && blockText.has(block)) blockText.get(block).push("\n"); continue; }
      if (!isInlineish(el) || !block) block = el;
      else if (style(el).display !== "inline" && block && blockText.has(block)) blockText.get(block).push(" ");
      if (el.shadowRoot) walk(el.shadowRoot, block);
      walk(el, block);
      if (block !== el && style(el).display !== "inline" && blockText.has(block)) blockText.get(block).push(" ");
      if (block === el && inheritedBlock && blockText.has(inheritedBlock)) blockText.get(inheritedBlock).push("\n");
    }
  };
  if (document.body) walk(document.body, null);

  // Visible text inside one element (for link and button labels).
  const labelOf = (el) => {
    let out = "";
    const rec = (root) => {
      for (let n = root.firstChild; n; n = n.nextSibling) {
        if (n.nodeType === 3) { if (n.nodeValue.trim() && textNodeShows(n)) out += n.nodeValue; else if (n.nodeValue) out += " "; }
        else if (n.nodeType === 1 && !SKIP.has(n.tagName.toUpperCase())) {
          if (n.tagName === "IMG" && n.alt && visible(n)) out += " " + n.alt + " ";
          if (n.shadowRoot) rec(n.shadowRoot);
          rec(n);
          if (!isInlineish(n)) out += " ";
        }
      }
    };
    rec(el);
    out = clean(out).replace(/\n/g, " ");
    if (!out) out = clean(el.getAttribute("aria-label") || el.getAttribute("title") || (el.tagName === "INPUT" ? el.value : "") || "");
    if (!out) {
      const lb = el.getAttribute("aria-labelledby");
      if (lb) out = clean(lb.split(/\s+/).map((id) => { const x = document.getElementById(id); return x ? x.textContent : ""; }).join(" "));
    }
    return out.slice(0, 200);
  };

  const blocks = [];
  for (const b of blockOrder) {
    if (blocks.length >= MAX_BLOCKS) break;
    const text = clean(blockText.get(b).join(""));
    if (!text) continue;
    blocks.push({ key: keyOf(b), text: text.slice(0, 2000), source: "text", y: docY(b), region: region(b), selector: cssPath(b) });
  }
  const links = [], controls = [], forms = [], frames = [], cf = [], hover = [];
  const CONTROL_SEL = "button,[role=button],summary,[role=tab],[aria-expanded],[aria-haspopup],input[type=button],[onclick]";
  const seenControl = new Set();
  for (const el of elements) {
    const tag = el.tagName.toLowerCase();
    if (tag === "img" || (tag === "input" && (el.getAttribute("type") || "").toLowerCase() === "image")) {
      const alt = clean(el.getAttribute("alt") || "");
      if (alt && visible(el)) blocks.push({ key: keyOf(el), text: alt.slice(0, 500), source: "alt", y: docY(el), region: region(el), selector: cssPath(el) });
    }
    if ((tag === "a" || tag === "area") && el.hasAttribute("href")) {
      const raw = el.getAttribute("href").trim();
      const toggleLike = raw === "" || raw.startsWith("#") || raw.toLowerCase().startsWith("javascript:");
      if (toggleLike) {
        if ((el.hasAttribute("aria-expanded") || el.hasAttribute("aria-controls") || el.hasAttribute("aria-haspopup") || ["button", "tab"].includes((el.getAttribute("role") || "").toLowerCase()) || el.hasAttribute("onclick") || raw === "#" || raw.toLowerCase().startsWith("javascript:")) && visible(el)) {
          controls.push(el); seenControl.add(el);
        }
      } else if (visible(el) || (tag === "area")) {
        const r = el.getBoundingClientRect();
        links.push({ key: keyOf(el), href: el.href, text: labelOf(el), y: Math.round(r.top + sy), x: Math.round(r.left + sx), region: region(el), selector: cssPath(el), new_tab: (el.getAttribute("target") || "").toLowerCase() === "_blank" });
      }
      continue;
    }
    if (el.matches(CONTROL_SEL) && !seenControl.has(el) && visible(el)) { controls.push(el); seenControl.add(el); continue; }
    // JS-driven accordions: the outermost element with a pointer cursor, short text.
    if (!seenControl.has(el) && ["div", "span", "li", "h2", "h3", "h4", "p", "dt"].includes(tag) && style(el).cursor === "pointer") {
      const p = parentOf(el);
      if (p && p.tagName && style(p).cursor === "pointer") continue;
      if (el.closest("a[href],button,label")) continue;
      if (visible(el)) { const t = labelOf(el); if (t && t.length <= 80) { controls.push(el); seenControl.add(el); } }
    }
  }
  for (const el of controls) {
    const tag = el.tagName.toLowerCase();
    const role = (el.getAttribute("role") || "").toLowerCase();
    let kind = "button", expanded = null, selected = null;
    if (tag === "summary") { kind = "summary"; const d = el.closest("details"); expanded = d ? d.open : null; }
    else if (role === "tab") { kind = "tab"; selected = el.getAttribute("aria-selected") === "true"; }
    else if (tag === "a") kind = "link";
    if (el.hasAttribute("aria-expanded")) { expanded = el.getAttribute("aria-expanded") === "true"; if (kind === "button") kind = "toggle"; }
    const form = el.closest("form");
    const type = (el.getAttribute("type") || "").toLowerCase();
    const submit = (tag === "button" && form && (type === "" || type === "submit")) || (tag === "input" && type === "submit");
    const text = labelOf(el);
    const reg = region(el);
    controls[controls.indexOf(el)] = {
      key: keyOf(el), tag, text, role, expanded, selected,
      haspopup: el.getAttribute("aria-haspopup") || "", controls: el.getAttribute("aria-controls") || "",
      kind, submit: !!submit, in_form: !!form, region: reg, selector: cssPath(el),
      signature: [tag, role, text, el.getAttribute("aria-controls") || "", el.id || "", reg].join("|"), y: docY(el),
      fixed: isFixed(el),
    };
  }
  // Hover targets: visible items of a header/nav (or with aria-haspopup) whose subtree
  // holds links that are hidden now: a dropdown that may open on hover.
  for (const el of elements) {
    if (hover.length >= 24) break;
    const tag = el.tagName.toLowerCase();
    const reg = region(el);
    if (!(tag === "li" || el.hasAttribute("aria-haspopup") || el.classList.contains("dropdown"))) continue;
    if (!(reg === "header" || reg === "nav" || el.hasAttribute("aria-haspopup"))) continue;
    if (!visible(el)) continue;
    const hiddenLinks = [...el.querySelectorAll("a[href]")].filter((a) => !visible(a));
    if (!hiddenLinks.length) continue;
    // the element to point at: its first visible link/button child, else itself
    const head = [...el.querySelectorAll(":scope > a, :scope > button, :scope > span, :scope > div > a")].find((x) => visible(x)) || el;
    const text = labelOf(head);
    hover.push({ key: keyOf(head), tag: head.tagName.toLowerCase(), text, role: "", kind: "button", region: reg, selector: cssPath(head), signature: ["hover", text, reg, cssPath(el)].join("|"), y: docY(head) });
  }
  // Forms and form-like groups.
  const fieldInfo = (f) => {
    const tag = f.tagName.toLowerCase();
    let label = "";
    if (f.id) { const l = document.querySelector('label[for="' + CSS.escape(f.id) + '"]'); if (l) label = clean(l.textContent); }
    if (!label) { const l = f.closest("label"); if (l) label = clean(l.textContent); }
    if (!label) label = clean(f.getAttribute("aria-label") || f.getAttribute("placeholder") || "");
    return { tag: f.isContentEditable && tag !== "textarea" && tag !== "input" ? "contenteditable" : tag, type: (f.getAttribute("type") || "").toLowerCase(), name: f.getAttribute("name") || "", label: label.slice(0, 80) };
  };
  const describeForm = (root, isForm) => {
    const fields = [...root.querySelectorAll("input,textarea,select,[contenteditable=true],[contenteditable='']")]
      .filter((f) => (f.getAttribute("type") || "").toLowerCase() === "hidden" ? false : visible(f)).map(fieldInfo);
    const submits = [...root.querySelectorAll("button,input[type=submit],input[type=button],[role=button]")].filter(visible)
      .map((b) => labelOf(b)).filter(Boolean).slice(0, 6);
    const heads = [...root.querySelectorAll("legend,h1,h2,h3,h4,label,p")].filter(visible).map((h) => clean(h.textContent)).join(" ").slice(0, 400);
    return { key: keyOf(root), is_form_element: isForm, fields, submit_texts: submits, role: (root.getAttribute("role") || "").toLowerCase(), action: root.getAttribute("action") || "", text: heads, region: region(root), selector: cssPath(root), y: docY(root) };
  };
  const formRoots = new Set();
  for (const el of elements) {
    const tag = el.tagName.toLowerCase();
    if ((tag === "form" || (el.getAttribute("role") || "").toLowerCase() === "form") && visible(el)) { formRoots.add(el); forms.push(describeForm(el, tag === "form")); }
  }
  for (const el of elements) {
    const tag = el.tagName.toLowerCase();
    if (!(tag === "textarea" || el.isContentEditable) || !visible(el)) continue;
    if ([...formRoots].some((r) => r.contains(el))) continue;
    let g = parentOf(el);
    for (let i = 0; g && i < 6; i++, g = parentOf(g)) {
      if (g.querySelector && [...g.querySelectorAll("button,input[type=submit],input[type=button],[role=button]")].some(visible)) break;
    }
    if (g && g.tagName && !formRoots.has(g)) { formRoots.add(g); forms.push(describeForm(g, false)); }
  }
  for (const el of elements) {
    const tag = el.tagName.toLowerCase();
    if (tag === "iframe") {
      const r = el.getBoundingClientRect();
      frames.push({ key: keyOf(el), src: el.src || "", title: el.title || "", name: el.name || "", elem_id: el.id || "", classes: typeof el.className === "string" ? el.className : "", visible: visible(el), fixed: isFixed(el), width: Math.round(r.width), height: Math.round(r.height), selector: cssPath(el) });
    }
    let enc = el.getAttribute("data-cfemail");
    if (!enc && tag === "a") { const h = el.getAttribute("href") || ""; const i = h.indexOf("/cdn-cgi/l/email-protection#"); if (i >= 0) enc = h.slice(i + 28); }
    if (enc && visible(el)) cf.push({ key: keyOf(el), encoded: enc, selector: cssPath(el), y: docY(el), region: region(el) });
  }
  // Selector answers (vendors, consent platforms), open shadow roots searched.
  const roots = [document];
  for (const el of elements) if (el.shadowRoot) roots.push(el.shadowRoot);
  const dom_matches = [];
  for (const sel of args.selectors || []) {
    let n = 0;
    for (const root of roots) {
      let found;
      try { found = root.querySelectorAll(sel); } catch (e) { break; }
      for (const el of found) {
        if (n++ >= 3) break;
        dom_matches.push({ selector: sel, key: keyOf(el), visible: visible(el) || (el.shadowRoot ? [...el.shadowRoot.querySelectorAll("*")].some((c) => visible(c)) : false), text: labelOf(el).slice(0, 120), fixed: isFixed(el) });
      }
    }
  }
  const scripts = new Set([...document.querySelectorAll("script[src]")].map((s) => s.src));
  try { for (const e of performance.getEntriesByType("resource")) if (e.initiatorType === "script") scripts.add(e.name); } catch (e) { }
  const globals = (args.globals || []).filter((g) => { try { return typeof window[g] !== "undefined"; } catch (e) { return false; } });
  const jsonld = [...document.querySelectorAll('script[type="application/ld+json"]')].map((s) => s.textContent || "").slice(0, 20);
  // One JSON string: Playwright's structured serialisation of a large object is slow.
  return JSON.stringify({
    url: location.href, title: document.title || "", lang: (document.documentElement.getAttribute("lang") || "").trim(),
    viewport_width: vw, viewport_height: vh, page_height: se.scrollHeight,
    blocks, links, controls, forms, frames, cf_emails: cf, dom_matches, scripts: [...scripts], globals, jsonld,
    hover_targets: hover,
  });
}
