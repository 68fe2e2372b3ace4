"""The annex (``--annex``): what the tracker knows besides the month's story — progress per
area, the late and at-risk items, the communication targets, what falls due next month, the
evidence of the month's products, the full list of recorded changes, and the Gantt chart."""

from __future__ import annotations

from datetime import date, timedelta

from tracker.exporters.report.blocks import Block, Cell, Heading, Image, Paragraph, Table
from tracker.exporters.report.dates import fmt_date, month_end
from tracker.exporters.report.events import all_events
from tracker.exporters.report.names import Names
from tracker.exporters.report.source import ReportSource
from tracker.i18n import N_, _, month_label
from tracker.plan.statuses import CLOSED

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def clean(text: str) -> str:
    return " ".join(text.split()).rstrip(":;,.").strip()


def status_label(status: str) -> str:
    return {
        "pendiente": _("pending"),
        "en_curso": _("in progress"),
        "completada": _("done"),
        "bloqueada": _("blocked"),
        "diferida": _("deferred"),
        "cancelada": _("cancelled"),
        "borrador": _("draft"),
        "en_revision": _("under review"),
        "validado": _("validated"),
        "entregado": _("delivered"),
    }.get(status, status)


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height of a PNG image, from its IHDR chunk."""
    from tracker.errors import ExportError

    if len(png) < 24 or not png.startswith(PNG_SIGNATURE) or png[12:16] != b"IHDR":
        raise ExportError(_("the Gantt chart given to the report is not a PNG image"))
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def annex_blocks(
    source: ReportSource,
    start: date,
    end: date,
    names: Names,
    *,
    gantt_png: bytes | None = None,
    gantt_dpi: int = 96,
) -> list[Block]:
    blocks: list[Block] = [Heading(_("Annex"))]
    blocks += _progress(source)
    blocks += _watch(source, names)
    blocks += _comms(source)
    blocks += _next_month(source, end, names)
    blocks += _changes(source, start, end, names)
    if gantt_png is not None:
        width, height = png_size(gantt_png)
        blocks.append(Heading(_("Schedule"), 2))
        caption = _("Forecast against the baseline as of {date}.").format(
            date=fmt_date(source.as_of)
        )
        blocks.append(Image(gantt_png, caption, width, height, gantt_dpi))
    return blocks


def _progress(source: ReportSource) -> list[Block]:
    fc = source.forecast
    rows: list[tuple[Cell, ...]] = []
    tones: list[str] = []
    for group in [*fc.groups, fc.overall]:
        if group is fc.overall:
            label: Cell = ((_("Whole phase"), True),)
        elif group.key:
            label = ((group.key + " ", True), (clean(group.title), False))
        else:
            label = ((_("Milestones"), True),)
        done = group.counts.get("completada", 0)
        total = sum(group.counts.values())
        rows.append(
            (
                label,
                f"{group.percent:.0f} %",
                _("{done} of {total} done").format(done=done, total=total),
                fmt_date(group.baseline_finish),
                fmt_date(group.forecast_finish),
            )
        )
        tones.append("total" if group is fc.overall else "")
    return [
        Heading(_("Progress per area against the baseline"), 2),
        Table(
            "progress",
            (_("AREA"), _("PROGRESS"), _("ITEMS"), _("BASELINE FINISH"), _("FORECAST FINISH")),
            tuple(rows),
            (70.0, 18.0, 30.0, 26.0, 26.0),
            tuple(tones),
            small=True,
        ),
    ]


def _watch(source: ReportSource, names: Names) -> list[Block]:
    items = [i for i in source.forecast.items if i.late or i.at_risk]
    if not items:
        return []
    rows: list[tuple[Cell, ...]] = []
    tones: list[str] = []
    for item in items:
        plan_item = source.plan.items.get(item.key)
        lead = ", ".join(names.role_holders(plan_item, ("lidera", "entrega"))) or "—"
        situation = (_("Late") if item.late else _("At risk")) + f" · {status_label(item.status)}"
        if item.reason:
            situation += f": {item.reason}"
        rows.append(
            (
                ((item.key, True),),
                clean(item.title),
                lead,
                situation,
                fmt_date(item.baseline_finish),
                fmt_date(item.forecast_finish),
            )
        )
        tones.append("bad" if item.late else "warn")
    return [
        Heading(_("Late and at-risk items"), 2),
        Table(
            "watch",
            (_("ID"), _("TASK"), _("LEAD"), _("SITUATION"), _("BASELINE"), _("FORECAST")),
            tuple(rows),
            (12.0, 48.0, 30.0, 40.0, 20.0, 20.0),
            tuple(tones),
            3,
            small=True,
        ),
    ]


_STATE = {
    "cumplida": ("ok", N_("Met")),
    "en_curso": ("", N_("On course")),
    "atrasada": ("warn", N_("Behind")),
    "incumplida": ("bad", N_("Missed")),
    "proxima": ("muted", N_("Upcoming")),
}


def _comms(source: ReportSource) -> list[Block]:
    comm = source.plan.communication
    if comm is None or not source.comms:
        return []
    channels = {c.id: c.name for c in comm.channels}
    rows: list[tuple[Cell, ...]] = []
    tones: list[str] = []
    for state in source.comms:
        tone, word = _STATE.get(state.state, ("", state.state))
        rows.append(
            (
                clean(state.action),
                channels.get(state.channel, state.channel) or "—",
                f"{fmt_date(state.period_start)} – {fmt_date(state.period_end)}",
                f"{state.done} / {state.expected}",
                _(word),
            )
        )
        tones.append(tone)
    return [
        Heading(_("Communication targets as of {date}").format(date=fmt_date(source.as_of)), 2),
        Table(
            "comms",
            (_("TARGET"), _("CHANNEL"), _("PERIOD"), _("DONE / EXPECTED"), _("STATE")),
            tuple(rows),
            (70.0, 25.0, 36.0, 22.0, 20.0),
            tuple(tones),
            4,
            small=True,
        ),
    ]


def _next_month(source: ReportSource, end: date, names: Names) -> list[Block]:
    first = end + timedelta(days=1)
    last = month_end(first)
    rows: list[tuple[date, tuple[Cell, ...]]] = []
    for item in source.forecast.items:
        if item.status not in CLOSED and first <= item.baseline_finish <= last:
            plan_item = source.plan.items.get(item.key)
            lead = ", ".join(names.role_holders(plan_item, ("lidera", "entrega"))) or "—"
            rows.append(
                (
                    item.baseline_finish,
                    (
                        ((item.key, True),),
                        clean(item.title),
                        lead,
                        fmt_date(item.baseline_finish),
                        fmt_date(item.forecast_finish),
                        status_label(item.status),
                    ),
                )
            )
    if not rows:
        return []
    rows.sort(key=lambda r: r[0])
    return [
        Heading(_("Next month: what falls due in {month}").format(month=month_label(first)), 2),
        Table(
            "due",
            (_("ID"), _("TASK"), _("LEAD"), _("BASELINE"), _("FORECAST"), _("STATUS")),
            tuple(r[1] for r in rows),
            (12.0, 60.0, 32.0, 20.0, 20.0, 18.0),
            small=True,
        ),
    ]


def _changes(source: ReportSource, start: date, end: date, names: Names) -> list[Block]:
    """Every status change of the month, with its evidence: the record behind the story."""
    rows: list[tuple[Cell, ...]] = []
    for event in all_events(source.changes):
        if not start <= event.day <= end:
            continue
        after = event.change.after
        what = status_label(str(after.get("status") or ""))
        evidence = str(after.get("evidence") or "").strip()
        rows.append(
            (
                fmt_date(event.day),
                ((event.key, True),),
                what,
                names.person(event.change.author),
                evidence or event.change.note or "—",
            )
        )
    if not rows:
        return [Paragraph(((_("No status change was recorded this month."), False),), True)]
    return [
        Heading(_("Status changes of the month and their evidence"), 2),
        Table(
            "changes",
            (_("DATE"), _("ID"), _("STATUS"), _("RECORDED BY"), _("EVIDENCE OR NOTE")),
            tuple(rows),
            (20.0, 16.0, 20.0, 32.0, 82.0),
            small=True,
        ),
    ]
