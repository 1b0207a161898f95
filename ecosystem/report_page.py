"""The report as one self-contained HTML page: per claim its statement, figure, effects, criterion and verdict.

Every image is a base64 PNG inside the page, and there is no external style
sheet or script, so the page opens with no network.
"""

import base64
import html

from ecosystem.measure.spread import describe_seeds
from ecosystem.experiments.sizes import SIZES
from ecosystem.report import ClaimResult, Report

PAGE_FILE = "index.html"
VERDICTS = {True: "holds", False: "does not hold at this size"}
STYLE = """
body { font-family: system-ui, sans-serif; max-width: 1200px; margin: 2em auto; padding: 0 1em; color: #222; }
table { border-collapse: collapse; margin: 0.5em 0; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
img { max-width: 100%; height: auto; border: 1px solid #eee; }
.verdict { font-weight: bold; font-size: 1.1em; }
.holds { color: #1b7a4a; } .fails { color: #b3401c; }
section.claim { border-top: 2px solid #ddd; margin-top: 2em; }
.statement { font-size: 1.1em; } .caption, .meta { color: #555; font-size: 0.9em; }
"""


def _escape(value) -> str:
    return html.escape(str(value))


def _verdict(holds: bool) -> str:
    return f'<span class="verdict {"holds" if holds else "fails"}">{VERDICTS[holds]}</span>'


def _references(claim) -> str:
    """The published figures a claim is held against, one line each ('' for none)."""
    return "".join(f'\n<p class="reference"><b>Held against</b> {_escape(r.source)}: {_escape(r.says)}</p>'
                   for r in claim.references)


def _section(result: ClaimResult) -> str:
    claim, source = result.claim, result.source
    rows = "".join(f"<tr><td>{_escape(e.label)}</td><td class='interval'>{_escape(e.text)}</td><td>{e.seeds}</td></tr>"
                   for e in result.effects.values())  # fmt: skip
    conditions = "".join(f"<tr><td>{_escape(n)}</td><td class='parameters'>{_escape(p)}</td></tr>"
                         for n, p in source.conditions.items())  # fmt: skip
    where = (f"read from the finished sweep <code>{_escape(source.sweep)}</code>" if source.sweep else
             f"run here: {source.seconds:.1f} s of model runs (summed over its runs; a run shared with another claim "
             "counts for each)")  # fmt: skip
    image = base64.b64encode(result.figure_png).decode()
    return f"""
<section class="claim" id="claim-{_escape(claim.key.replace(' ', '-'))}">
<h2>Claim {_escape(claim.key)}. {_escape(claim.title)}</h2>
<p class="statement">{_escape(claim.statement)}</p>
<figure><img alt="Figure of claim {_escape(claim.key)}" src="data:image/png;base64,{image}">
<figcaption class="caption">{_escape(source.caption)}</figcaption></figure>
<table class="effects"><tr><th>effect measured</th><th>mean [95% interval over seeds]</th><th>seeds</th></tr>{rows}</table>
<p class="criterion"><b>Holds when</b> {_escape(claim.criterion.words)}.</p>{_references(claim)}
<p>Verdict: {_verdict(result.holds)}</p>
<table class="conditions"><tr><th>condition</th><th>parameters (the rest at their defaults)</th></tr>{conditions}</table>
<p class="meta">{_escape(describe_seeds(source.seeds)).capitalize()}. Tables {where}; measured and drawn in
{result.seconds:.1f} s.</p>
</section>"""


def render_page(report: Report, command: str) -> str:
    """The report as one HTML page with everything inside it: figures as data URIs, the style inline."""
    summary = "".join(f"<tr><td><a href='#claim-{_escape(r.claim.key.replace(' ', '-'))}'>{_escape(r.claim.key)}</a></td>"
                      f"<td>{_escape(r.claim.title)}</td><td>{_verdict(r.holds)}</td></tr>" for r in report.results)  # fmt: skip
    versions = ", ".join(f"{_escape(k)} {_escape(v)}" for k, v in report.versions.items())
    held = sum(r.holds for r in report.results)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>The claims, measured: ecosystem report</title>
<style>{STYLE}</style></head><body>
<h1>The claims of the learned-optimization ecosystem, measured</h1>
<p class="meta">Built by <code>{_escape(command)}</code> in {report.seconds:.1f} s on {report.workers} worker(s).
Size <b>{_escape(report.size)}</b>: {_escape(SIZES[report.size].describe())}. Versions: {versions}; commit
{_escape(report.commit or 'unknown (not a git checkout)')}.</p>
<p>Each claim's effects are means over seeds with their 95% intervals (Student t over seeds); its verdict applies
the criterion written beside it to those intervals. At a reduced size a claim may not hold; the page then says
so. {held} of {len(report.results)} hold here.</p>
<table class="summary"><tr><th>claim</th><th>what it says</th><th>verdict</th></tr>{summary}</table>
{''.join(_section(r) for r in report.results)}
</body></html>
"""
