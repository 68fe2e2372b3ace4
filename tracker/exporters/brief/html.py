"""The brief as one self-contained HTML page: CSS and SVG inline, no script, no request.
The first screen of a 1280×720 projector shows the RAG table and the S-curve; the page prints
on carta (Letter) landscape."""

from __future__ import annotations

from html import escape

from tracker.exporters.brief.content import Brief, RagRow
from tracker.exporters.brief.rules import AMBER, GREEN, RED
from tracker.exporters.brief.svg import s_curve, summary_gantt
from tracker.exporters.report.dates import fmt_date
from tracker.exporters.report.summary import slip_words
from tracker.i18n import N_, _, current_language

# Colour-blind safe: each state also has its own word and symbol, never hue alone.
RAG_STYLE = {
    RED: ("#b3261e", "#ffffff", "●", N_("Red")),
    AMBER: ("#f2b600", "#1a1a1a", "▲", N_("Amber")),
    GREEN: ("#2e7d32", "#ffffff", "■", N_("Green")),
}

# Nothing may be fetched: the page carries everything it shows.
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

CSS = """
@page { size: letter landscape; margin: 10mm; }
* { box-sizing: border-box; }
html, body { margin: 0; padding: 0; }
body { font-family: Arial, "Liberation Sans", "DejaVu Sans", Helvetica, sans-serif;
       font-size: 12px; color: #1a1a1a; background: #fff; }
header { display: flex; justify-content: space-between; align-items: baseline;
         padding: 8px 16px 6px; border-bottom: 3px solid #1f4e79; }
header h1 { font-size: 19px; margin: 0; color: #1f4e79; }
header .sub { font-size: 12px; color: #444; }
header .headline { font-size: 14px; font-weight: bold; text-align: right; }
.first { display: grid; grid-template-columns: 650px 1fr; gap: 12px; padding: 8px 16px 0;
         align-items: start; }
h2 { font-size: 14px; color: #1f4e79; margin: 4px 0 4px; }
table { border-collapse: collapse; width: 100%; }
th { background: #1f4e79; color: #fff; font-size: 11px; text-align: left; padding: 3px 4px; }
td { border-bottom: 1px solid #d0d5db; padding: 3px 4px; vertical-align: top; font-size: 11px; }
td.rag { white-space: nowrap; font-weight: bold; text-align: center; width: 70px; }
td.key { white-space: nowrap; font-weight: bold; }
td .rule { color: #444; font-style: italic; }
.rest { padding: 0 16px 16px; }
.cols { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
ul { margin: 0; padding-left: 18px; }
li { margin-bottom: 3px; }
.legend span { margin-right: 12px; }
@media print { .first { break-after: page; } }
"""


def _rag_cell(colour: str) -> str:
    fill, ink, symbol, word = RAG_STYLE[colour]
    return (
        f'<td class="rag" data-rag="{colour}" style="background:{fill};color:{ink}">'
        f"{symbol} {escape(_(word))}</td>"
    )


def _row(row: RagRow) -> str:
    key = escape(row.key) if row.key else "—"
    percent = f"{row.percent:.0f}%" if row.percent is not None else ""
    return (
        f'<tr data-kind="{row.kind}" data-key="{escape(row.key)}">'
        f'<td class="key">{key}</td><td>{escape(row.title[:90])}</td>'
        f"<td>{percent}</td>{_rag_cell(row.rag.colour)}"
        f'<td><span class="rule">{escape(row.rag.rule)}</span>: {escape(row.rag.reason)}</td>'
        "</tr>"
    )


def render_brief_html(brief: Brief) -> str:
    headline = _("Forecast phase end {forecast} against baseline {baseline} ({slip})").format(
        forecast=fmt_date(brief.phase_forecast),
        baseline=fmt_date(brief.phase_baseline),
        slip=slip_words(brief.phase_slip),
    )
    rows = "".join(_row(r) for r in brief.rows)
    legend = "".join(
        f"<span>{symbol} {escape(_(word))}</span>" for _f, _i, symbol, word in RAG_STYLE.values()
    )
    decisions = "".join(f"<li>{escape(d)}</li>" for d in brief.decisions) or (
        f"<li>{escape(_('No decision is asked of the committee this period.'))}</li>"
    )
    milestones = "".join(
        f"<li><strong>{escape(m.key)}</strong> {escape(m.title)} — {escape(m.rag.reason)}</li>"
        for m in brief.milestones
    )
    targets = "".join(
        "<tr>"
        f"<td>{escape(t.action[:90])}</td>"
        f"<td>{escape(brief.channels.get(t.channel, t.channel) or '—')}</td>"
        f"<td>{fmt_date(t.period_start)} – {fmt_date(t.period_end)}</td>"
        f"<td>{t.done} / {t.expected}</td><td>{escape(_state(t.state))}</td>"
        "</tr>"
        for t in brief.targets
    )
    lang = current_language()
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=1280">
<title>{escape(brief.title)} — {escape(brief.period_label)}</title>
<meta name="author" content="{escape(brief.organisation)}">
<meta name="description" content="{escape(brief.plan)}">
<style>{CSS}</style>
</head>
<body>
<header>
<div><h1>{escape(brief.title)} — {escape(brief.period_label)}</h1>
<div class="sub">{escape(brief.organisation)} · {escape(brief.plan)} ·
{escape(_("situation as of {date}").format(date=fmt_date(brief.as_of)))}</div></div>
<div class="headline">{escape(headline)}<br>
{escape(_("Progress: {percent}% of the phase's work").format(percent=f"{brief.percent:.0f}"))}</div>
</header>
<section class="first">
<div id="rag">
<h2>{escape(_("State per area, stage and milestone"))}</h2>
<table>
<thead><tr><th></th><th>{escape(_("Area, stage or milestone"))}</th><th>%</th>
<th>{escape(_("State"))}</th><th>{escape(_("Rule and reason"))}</th></tr></thead>
<tbody>{rows}</tbody>
</table>
<p class="legend">{legend}</p>
</div>
<div>
<h2>{escape(_("Planned against actual percent complete"))}</h2>
{s_curve(brief)}
<h2>{escape(_("Decisions asked of the committee"))}</h2>
<ul>{decisions}</ul>
</div>
</section>
<section class="rest">
<div class="cols">
<div><h2>{escape(_("Milestones"))}</h2><ul>{milestones}</ul></div>
<div><h2>{escape(_("Communication targets of the quarter"))}</h2>
<table><thead><tr><th>{escape(_("Target"))}</th><th>{escape(_("Channel"))}</th>
<th>{escape(_("Period"))}</th><th>{escape(_("Done"))}</th><th>{escape(_("State"))}</th></tr></thead>
<tbody>{targets}</tbody></table></div>
</div>
<h2>{escape(_("Summary schedule"))}</h2>
{summary_gantt(brief)}
<p class="legend">{escape(_gantt_legend())}</p>
</section>
</body>
</html>
"""


def _gantt_legend() -> str:
    return _(
        "Grey bar: baseline. Outlined bar: forecast, filled in proportion to progress (red "
        "when late or blocked). Diamonds: a milestone's baseline date (grey) and forecast "
        "(blue; red when late). Dotted line: the as-of date."
    )


def _state(state: str) -> str:
    return {
        "cumplida": _("Met"),
        "en_curso": _("On course"),
        "atrasada": _("Behind"),
        "incumplida": _("Missed"),
        "proxima": _("Upcoming"),
    }.get(state, state)
