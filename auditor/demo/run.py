"""`contact-auditor demo`: the whole tool at work with no website of one's own.

Serves the bundled fictional companies (`auditor/demo/sites/`) on 127.0.0.1, audits them
like any other site, and writes `results.json` and `report.html` into `--out`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from auditor.demo.server import demo_site_roots, serve_sites

#: Names and sectors of the demo companies, shown in the league table.
DEMO_COMPANIES = {
    "oppna-banken": ("Öppna Banken", "banking"),
    "mellan-el": ("Mellanel", "energy"),
    "gomda-telekom": ("Gömda Telekom", "telecom"),
}


def run_demo(args: argparse.Namespace) -> int:
    from auditor.cli import _default_lang, _print_summary, _run_with_progress, make_document, write_outputs
    from auditor.runner import Target
    from auditor.scoring import load_profile
    from auditor.settings import resolve_settings

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    lang = args.lang or _default_lang()
    settings = resolve_settings({}, {"device": args.device, "browser_path": args.browser_path, "lang": lang})
    profile = load_profile(None)
    roots = demo_site_roots()
    with serve_sites(roots) as urls:
        targets = []
        for key, url in urls.items():
            name, sector = DEMO_COMPANIES.get(key, (key, None))
            targets.append(Target(url, name=name, sector=sector))
        results = _run_with_progress(targets, settings, profile)
    doc = make_document(results, profile.to_dict()).to_dict()
    ns = argparse.Namespace(json=str(out / "results.json"), html=str(out / "report.html"),
                            csv=str(out / "results.csv"), markdown=None, junit=None, lang=lang)
    write_outputs(doc, ns, report_dir=out)
    _print_summary(doc, to_stderr=False)
    print(f"\nreport: {out / 'report.html'}\nresults: {out / 'results.json'}", file=sys.stdout)
    return 0
