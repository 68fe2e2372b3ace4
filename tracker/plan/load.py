"""Load a plan file into the typed model, reporting every problem with file, line and field."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

from tracker.errors import PlanError, PlanErrors
from tracker.i18n import _
from tracker.plan.model import (
    Area,
    Channel,
    Committee,
    Communication,
    CommunicationTarget,
    Deliverable,
    Dependency,
    Holiday,
    Item,
    ItemKind,
    ObjectiveGroup,
    Organisation,
    Period,
    Plan,
    PlanMeta,
    Question,
    Role,
    Section,
    Stage,
    TargetUnit,
)
from tracker.plan.quarters import parse_quarter
from tracker.plan.validate import validate
from tracker.plan.yamlnodes import (
    STR_TAG,
    BudgetExceeded,
    MappingNode,
    Node,
    Reader,
    ScalarNode,
    SequenceNode,
    compose,
    line_of,
    read_text,
)

FORMAT = "tracker-plan/1"
SOURCES = ("documento", "supuesto")
TITLE_SOURCES = ("documento", "resumen")
MILESTONE_KINDS = ("committee", "launch", "other")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_ID = re.compile(r"^[^\s,]+$")
_PLAIN_ID = re.compile(r"[^\s,]+")  # _ID with nothing to strip, for fullmatch()
T = TypeVar("T")

TOP_KEYS = frozenset(
    {
        "format",
        "plan",
        "calendar",
        "organisations",
        "sections",
        "objectives",
        "committee",
        "areas",
        "stages",
        "milestones",
        "communication",
    }
)
META_KEYS = frozenset(
    {
        "id",
        "title",
        "city",
        "country",
        "program",
        "phase",
        "organisation",
        "team",
        "period",
        "source",
        "description",
    }
)
SCHEDULE_KEYS = frozenset(
    {
        "id",
        "title",
        "title_source",
        "duration",
        "duration_source",
        "depends_on",
        "not_before",
        "window",
        "deadline",
        "source_ref",
        "note",
        "roles",
        "observations",
    }
)
TASK_KEYS = SCHEDULE_KEYS | {
    "methodology",
    "questions",
    "questions_text",
    "products",
    "working_group",
    "allies",
    "shared_row",
}
MILESTONE_KEYS = SCHEDULE_KEYS | {"kind"}
TARGET_KEYS = frozenset(
    {
        "id",
        "objective",
        "action",
        "text",
        "channels",
        "count",
        "unit",
        "quarters",
        "per_channel",
        "stated_total",
        "item",
        "at_least",
        "note",
    }
)


def load_plan(path: str) -> Plan:
    """Read, parse and validate the plan at ``path``.

    Raises PlanErrors (a TrackerError) listing every located problem found.
    """
    try:
        text = read_text(path)
    except PlanError as err:
        raise PlanErrors([err]) from None
    return parse_plan(path, text)


def parse_plan(path: str, text: str) -> Plan:
    """Validate ``text`` (the content of ``path``); raises PlanErrors in document order."""
    try:
        root = compose(path, text)
    except PlanError as err:
        raise PlanErrors([err]) from None
    if root is None:
        raise PlanErrors([PlanError(path, None, "", _("the file is empty"))])
    # Every node costs at least one character of input unless aliases multiply it.
    builder = _Builder(Reader(path, budget=len(text) + 1000))
    try:
        plan = builder.build(root)
    except BudgetExceeded as err:
        raise PlanErrors([err]) from None
    except PlanError as err:
        builder.errors.append(err)
        raise PlanErrors(_in_file_order(builder.errors)) from None
    if builder.errors:
        raise PlanErrors(_in_file_order(builder.errors))
    errors = validate(plan)
    if errors:
        raise PlanErrors(_in_file_order(errors))
    return plan


def _in_file_order(errors: list[PlanError]) -> list[PlanError]:
    return sorted(errors, key=lambda e: (e.line is None, e.line or 0))


def _peek_id(node: Node) -> str | None:
    """The ``id`` of a mapping node before it is validated, to name it in error paths."""
    if isinstance(node, MappingNode):
        for key, value in node.value:
            if (
                isinstance(key, ScalarNode)
                and key.value == "id"
                and isinstance(value, ScalarNode)
                and str(value.value).strip()
            ):
                return " ".join(str(value.value).split())
    return None


def _named(field: str, node: Node) -> str:
    """``field`` with its trailing list position replaced by the element's id, if it has one."""
    peeked = _peek_id(node)
    return f"{field.rsplit('[', 1)[0]}[{peeked}]" if peeked is not None else field


def _lines(keys: dict[str, Node], lists: tuple[str, ...] = ()) -> dict[str, int]:
    """The line of every field, and of every element of the list fields named in ``lists``."""
    # line_of() inlined: this runs for every item of the plan.
    lines = {key: node.start_mark.line + 1 for key, node in keys.items()}
    for key in lists:
        node = keys.get(key)
        if isinstance(node, SequenceNode):
            for index, child in enumerate(node.value):
                lines[f"{key}[{index}]"] = child.start_mark.line + 1
    return lines


class _Builder:
    def __init__(self, reader: Reader) -> None:
        self.r = reader
        self.errors: list[PlanError] = []
        self.plan: Plan | None = None
        self.group_ids: dict[str, int] = {}
        self.question_ids: dict[str, int] = {}
        self.channel_ids: dict[str, int] = {}
        self.target_ids: dict[str, int] = {}

    # -- helpers ---------------------------------------------------------------------------
    def each(self, node: Node, field: str, build: Callable[[Node, str], T]) -> list[T]:
        """Build every element, collecting errors per element so one bad item hides no other."""
        out: list[T] = []
        for sub, child in self.r.items(node, field):
            try:
                out.append(build(child, sub))
            except PlanError as err:
                self.keep(err)
        return out

    def keep(self, err: PlanError) -> None:
        """Record ``err`` and go on with the next element, unless it must stop the load."""
        if isinstance(err, BudgetExceeded):
            raise err
        self.errors.append(err)

    def choice(
        self, keys: dict[str, Node], key: str, field: str, values: tuple[str, ...], default: str
    ) -> str:
        if key not in keys:
            return default
        value = self.r.text(keys[key], f"{field}.{key}")
        if value not in values:
            raise self.r.error(
                keys[key],
                f"{field}.{key}",
                _("must be one of: {values}").format(values=", ".join(values)),
            )
        return value

    def unique(self, seen: dict[str, int], value: str, node: Node, field: str, what: str) -> None:
        if value in seen:
            raise self.r.error(
                node, field, what + " " + _("(first on line {line})").format(line=seen[value])
            )
        seen[value] = line_of(node)

    def opt_text(self, keys: dict[str, Node], key: str, field: str) -> str:
        return self.r.text(keys[key], f"{field}.{key}", required=False) if key in keys else ""

    def opt_texts(self, keys: dict[str, Node], key: str, field: str) -> list[str]:
        return self.r.texts(keys[key], f"{field}.{key}") if key in keys else []

    def source(self, keys: dict[str, Node], key: str, field: str, default: str) -> str:
        return self.choice(keys, key, field, SOURCES, default)

    def ident(self, node: Node, field: str) -> str:
        value = self.r.text(node, field).strip()
        if not _ID.match(value):
            raise self.r.error(
                node, field, _("an id cannot contain spaces or commas: {id!r}").format(id=value)
            )
        return value

    def period(self, node: Node, field: str) -> Period:
        keys = self.r.mapping(node, field, {"start", "end"}, ("start", "end"))
        start = self.r.date(keys["start"], f"{field}.start")
        end = self.r.date(keys["end"], f"{field}.end")
        if end < start:
            raise self.r.error(
                keys["end"],
                f"{field}.end",
                _("the period ends ({end}) before it starts ({start})").format(
                    end=end, start=start
                ),
            )
        return Period(start, end)

    # -- the document ----------------------------------------------------------------------
    def build(self, root: Node) -> Plan:
        r = self.r
        keys = r.mapping(root, "", TOP_KEYS, ("format", "plan"))
        fmt = r.text(keys["format"], "format")
        if fmt != FORMAT:
            raise r.error(
                keys["format"],
                "format",
                _("unsupported format {found!r}; this program reads {expected!r}").format(
                    found=fmt, expected=FORMAT
                ),
            )
        meta = self.meta(keys["plan"], "plan")
        plan = Plan(path=r.path, meta=meta, calendar_country=meta.country)
        self.plan = plan
        if "calendar" in keys:
            self.calendar(keys["calendar"], "calendar", plan)
        if "organisations" in keys:
            plan.organisations = self.each(
                keys["organisations"], "organisations", self.organisation
            )
        if "sections" in keys:
            plan.sections = self.each(keys["sections"], "sections", self.section)
        if "objectives" in keys:
            plan.objectives = self.each(keys["objectives"], "objectives", self.objective_group)
        if "committee" in keys:
            plan.committee = self.committee(keys["committee"], "committee")
        if "areas" in keys:
            plan.areas = self.each(keys["areas"], "areas", self.area)
        if "stages" in keys:
            plan.stages = self.each(keys["stages"], "stages", self.stage)
        if "milestones" in keys:
            self.each(keys["milestones"], "milestones", self.milestone)
        if "communication" in keys:
            plan.communication = self.communication(keys["communication"], "communication")
        return plan

    def meta(self, node: Node, field: str) -> PlanMeta:
        r = self.r
        keys = r.mapping(node, field, META_KEYS, ("id", "title", "period"))
        meta = PlanMeta(
            id=self.ident(keys["id"], f"{field}.id"),
            title=r.text(keys["title"], f"{field}.title"),
            period=self.period(keys["period"], f"{field}.period"),
        )
        for name in ("city", "country", "program", "phase", "organisation", "description"):
            setattr(meta, name, self.opt_text(keys, name, field))
        meta.team = self.opt_texts(keys, "team", field)
        if "source" in keys:
            src = r.mapping(keys["source"], f"{field}.source", {"title", "file", "note"})
            meta.source_title = self.opt_text(src, "title", f"{field}.source")
            meta.source_file = self.opt_text(src, "file", f"{field}.source")
            meta.source_note = self.opt_text(src, "note", f"{field}.source")
        return meta

    def calendar(self, node: Node, field: str, plan: Plan) -> None:
        keys = self.r.mapping(node, field, {"country", "extra_holidays"})
        if "country" in keys:
            plan.calendar_country = self.r.text(keys["country"], f"{field}.country")
        if "extra_holidays" in keys:

            def holiday(child: Node, sub: str) -> Holiday:
                h = self.r.mapping(child, sub, {"date", "name"}, ("date",))
                return Holiday(self.r.date(h["date"], f"{sub}.date"), self.opt_text(h, "name", sub))

            plan.extra_holidays = self.each(
                keys["extra_holidays"], f"{field}.extra_holidays", holiday
            )

    def organisation(self, node: Node, field: str) -> Organisation:
        keys = self.r.mapping(node, field, {"acronym", "name", "aliases"}, ("acronym", "name"))
        return Organisation(
            self.r.text(keys["acronym"], f"{field}.acronym"),
            self.r.text(keys["name"], f"{field}.name"),
            tuple(self.opt_texts(keys, "aliases", field)),
        )

    def section(self, node: Node, field: str) -> Section:
        keys = self.r.mapping(node, field, {"id", "title", "text"}, ("id", "title"))
        return Section(
            self.r.text(keys["id"], f"{field}.id"),
            self.r.text(keys["title"], f"{field}.title"),
            self.opt_text(keys, "text", field),
        )

    def objective_group(self, node: Node, field: str) -> ObjectiveGroup:
        keys = self.r.mapping(node, field, {"group", "items"}, ("group",))
        group = ObjectiveGroup(self.r.text(keys["group"], f"{field}.group"))
        if "items" in keys:
            for sub, child in self.r.items(keys["items"], f"{field}.items"):
                item = self.r.mapping(child, sub, {"id", "text"}, ("id", "text"))
                group.items.append(
                    (self.r.text(item["id"], f"{sub}.id"), self.r.text(item["text"], f"{sub}.text"))
                )
        return group

    def committee(self, node: Node, field: str) -> Committee:
        keys = self.r.mapping(
            node, field, {"name", "description", "members", "objectives"}, ("name",)
        )
        committee = Committee(
            self.r.text(keys["name"], f"{field}.name"),
            self.opt_text(keys, "description", field),
            objectives=self.opt_texts(keys, "objectives", field),
        )
        if "members" in keys:
            members = self.r.mapping(keys["members"], f"{field}.members", {"internal", "expanded"})
            committee.internal_members = self.opt_texts(members, "internal", f"{field}.members")
            committee.expanded_members = self.opt_texts(members, "expanded", f"{field}.members")
        return committee

    def roles(self, keys: dict[str, Node], field: str) -> list[Role]:
        if "roles" not in keys:
            return []

        def role(child: Node, sub: str) -> Role:
            k = self.r.mapping(child, sub, {"role", "who", "note"}, ("role", "who"))
            return Role(
                self.r.text(k["role"], f"{sub}.role"),
                self.r.text(k["who"], f"{sub}.who"),
                self.opt_text(k, "note", sub),
            )

        return self.each(keys["roles"], f"{field}.roles", role)

    def group(self, node: Node, field: str, allowed: set[str]) -> tuple[dict[str, Node], str, str]:
        """Keys, id and title of an area or stage; ids are unique across both (items name
        their group by it)."""
        field = _named(field, node)
        keys = self.r.mapping(node, field, allowed, ("id", "title"))
        group_id = self.ident(keys["id"], f"{field}.id")
        what = _("duplicate area or stage id {id}").format(id=group_id)
        self.unique(self.group_ids, group_id, keys["id"], f"{field}.id", what)
        return keys, group_id, self.r.text(keys["title"], f"{field}.title")

    # -- schedulable items -----------------------------------------------------------------
    def add_item(self, item: Item, node: Node, field: str) -> None:
        assert self.plan is not None
        if item.id in self.plan.items or item.id in self.plan.deliverables:
            first = self.plan.items.get(item.id) or self.plan.deliverables[item.id]
            raise self.r.error(
                node,
                f"{field}.id",
                _("duplicate id {id} (first on line {line})").format(id=item.id, line=first.line),
            )
        self.plan.items[item.id] = item

    def add_deliverable(self, deliverable: Deliverable, node: Node, field: str) -> None:
        assert self.plan is not None
        if deliverable.id in self.plan.items or deliverable.id in self.plan.deliverables:
            first = self.plan.items.get(deliverable.id) or self.plan.deliverables[deliverable.id]
            raise self.r.error(
                node,
                f"{field}.id",
                _("duplicate id {id} (first on line {line})").format(
                    id=deliverable.id, line=first.line
                ),
            )
        self.plan.deliverables[deliverable.id] = deliverable

    def schedulable(
        self, node: Node, field: str, kind: ItemKind, group: str, allowed: frozenset[str]
    ) -> tuple[Item, dict[str, Node], str]:
        r = self.r
        field = _named(field, node)
        keys = r.mapping(
            node,
            field,
            allowed,
            ("id", "title", "duration") if kind is not ItemKind.MILESTONE else ("id", "title"),
        )
        # This runs for every item: optional fields are tested here rather than in helpers,
        # and Item's leading fields go by position (matching keywords against its 26 fields
        # added half again to building it).
        item = Item(
            self.ident(keys["id"], f"{field}.id"),
            kind,
            r.text(keys["title"], f"{field}.title"),
            group,
            r.integer(keys["duration"], f"{field}.duration", minimum=0, maximum=100_000)
            if "duration" in keys
            else 0,
            self.source(keys, "duration_source", field, "supuesto")
            if "duration_source" in keys
            else "supuesto",
        )
        item.line = node.start_mark.line + 1
        item.doc_path = field
        item.lines = _lines(keys, ("depends_on", "questions", "shared_row"))
        if kind is not ItemKind.MILESTONE and item.duration == 0:
            raise r.error(
                keys["duration"],
                f"{field}.duration",
                _(
                    "a task or activity needs at least one working day; use a milestone for an "
                    "event without duration"
                ),
            )
        if "title_source" in keys:
            item.title_source = self.choice(keys, "title_source", field, TITLE_SOURCES, "documento")
        if "depends_on" in keys:
            item.depends_on = self.dependencies(keys["depends_on"], f"{field}.depends_on")
        if "not_before" in keys:
            item.not_before = r.date(keys["not_before"], f"{field}.not_before")
        if "deadline" in keys:
            item.deadline = r.date(keys["deadline"], f"{field}.deadline")
        if "window" in keys:
            window = r.mapping(keys["window"], f"{field}.window", {"quarters"}, ("quarters",))
            item.lines.update(_lines(window, ("quarters",)))
            item.quarters = [
                self.quarter(q, sub)
                for sub, q in r.items(window["quarters"], f"{field}.window.quarters")
            ]
        if "source_ref" in keys:
            item.source_ref = self.opt_text(keys, "source_ref", field)
        if "note" in keys:
            item.note = self.opt_text(keys, "note", field)
        if "roles" in keys:
            item.roles = self.roles(keys, field)
        if "observations" in keys:
            item.observations = self.opt_texts(keys, "observations", field)
        return item, keys, field

    def quarter(self, node: Node, field: str) -> str:
        value = self.r.text(node, field)
        if parse_quarter(value) is None:
            raise self.r.error(
                node, field, _("invalid quarter {value!r} (expected YYYYQn)").format(value=value)
            )
        return value

    def dependencies(self, node: Node, field: str) -> list[Dependency]:
        """``each(node, field, self.dependency)``, with the usual element taken in one step."""
        r = self.r
        out: list[Dependency] = []
        for index, child in enumerate(r.sequence(node, field)):
            # An id as plain text, with nothing for dependency() to strip or refuse.
            if (
                isinstance(child, ScalarNode)
                and child.tag == STR_TAG
                and r.budget > 0
                and _PLAIN_ID.fullmatch(child.value)
            ):
                r.budget -= 1
                out.append(Dependency(child.value, line=child.start_mark.line + 1))
                continue
            try:
                out.append(self.dependency(child, f"{field}[{index}]"))
            except PlanError as err:
                self.keep(err)
        return out

    def dependency(self, node: Node, field: str) -> Dependency:
        r = self.r
        if isinstance(node, ScalarNode):  # short form: just the id
            return Dependency(self.ident(node, field), line=line_of(node))
        keys = r.mapping(node, field, {"id", "lag", "source", "note"}, ("id",))
        return Dependency(
            id=self.ident(keys["id"], f"{field}.id"),
            lag=r.integer(keys["lag"], f"{field}.lag", minimum=0, maximum=10_000)
            if "lag" in keys
            else 0,
            source=self.source(keys, "source", field, "supuesto"),
            note=self.opt_text(keys, "note", field),
            line=line_of(node),
        )

    def area(self, node: Node, field: str) -> Area:
        r = self.r
        field = _named(field, node)
        keys, group_id, title = self.group(
            node,
            field,
            {"id", "title", "context", "objective", "questions", "exchange_cities", "tasks"},
        )
        area = Area(
            group_id,
            title,
            self.opt_text(keys, "context", field),
            self.opt_text(keys, "objective", field),
            exchange_cities=self.opt_texts(keys, "exchange_cities", field),
        )
        field = f"areas[{area.id}]"
        if "questions" in keys:

            def question(child: Node, sub: str) -> Question:
                q = r.mapping(child, sub, {"id", "text"}, ("id", "text"))
                qid = self.ident(q["id"], f"{sub}.id")
                what = _("duplicate question id {id}").format(id=qid)
                self.unique(self.question_ids, qid, q["id"], f"{sub}.id", what)
                return Question(qid, r.text(q["text"], f"{sub}.text"))

            area.questions = self.each(keys["questions"], f"{field}.questions", question)
        if "tasks" in keys:
            for sub, child in r.items(keys["tasks"], f"{field}.tasks"):
                try:
                    area.task_ids.append(self.task(child, sub, area.id))
                except PlanError as err:
                    self.keep(err)
        return area

    def task(self, node: Node, field: str, area_id: str) -> str:
        r = self.r
        item, keys, field = self.schedulable(node, field, ItemKind.TASK, area_id, TASK_KEYS)
        if "methodology" in keys:
            item.methodology = self.opt_texts(keys, "methodology", field)
        if "questions" in keys:
            item.questions = self.opt_texts(keys, "questions", field)
        if "questions_text" in keys:
            item.questions_text = self.opt_text(keys, "questions_text", field)
        if "working_group" in keys:
            item.working_group = self.opt_texts(keys, "working_group", field)
        if "allies" in keys:
            item.allies = self.opt_texts(keys, "allies", field)
        if "shared_row" in keys:
            item.shared_row = self.opt_texts(keys, "shared_row", field)
        self.add_item(item, node, field)
        if "products" in keys:
            for sub, child in r.items(keys["products"], f"{field}.products"):
                sub = _named(sub, child)
                try:
                    p = r.mapping(child, sub, {"id", "title", "pages", "note"}, ("id", "title"))
                    product = Deliverable(
                        id=self.ident(p["id"], f"{sub}.id"),
                        title=r.text(p["title"], f"{sub}.title"),
                        producer=item.id,
                        pages=r.integer(p["pages"], f"{sub}.pages", minimum=1)
                        if "pages" in p
                        else None,
                        note=self.opt_text(p, "note", sub),
                        line=line_of(child),
                        doc_path=sub,
                        lines=_lines(p),
                    )
                    self.add_deliverable(product, child, sub)
                    item.deliverables.append(product.id)
                except PlanError as err:
                    self.keep(err)
        return item.id

    def stage(self, node: Node, field: str) -> Stage:
        r = self.r
        field = _named(field, node)
        keys, group_id, title = self.group(
            node, field, {"id", "title", "description", "objective", "activities", "deliverables"}
        )
        stage = Stage(
            group_id,
            title,
            self.opt_text(keys, "description", field),
            self.opt_text(keys, "objective", field),
        )
        field = f"stages[{stage.id}]"
        if "activities" in keys:
            for sub, child in r.items(keys["activities"], f"{field}.activities"):
                try:
                    item, _keys, sub = self.schedulable(
                        child, sub, ItemKind.ACTIVITY, stage.id, SCHEDULE_KEYS
                    )
                    self.add_item(item, child, sub)
                    stage.activity_ids.append(item.id)
                except PlanError as err:
                    self.keep(err)
        if "deliverables" in keys:
            for sub, child in r.items(keys["deliverables"], f"{field}.deliverables"):
                sub = _named(sub, child)
                try:
                    stage.deliverable_ids.append(self.stage_deliverable(child, sub))
                except PlanError as err:
                    self.keep(err)
        return stage

    def stage_deliverable(self, node: Node, field: str) -> str:
        r = self.r
        keys = r.mapping(
            node,
            field,
            {"id", "number", "title", "produced_by", "produced_by_source", "roles", "note"},
            ("id", "title", "produced_by"),
        )
        deliverable = Deliverable(
            id=self.ident(keys["id"], f"{field}.id"),
            title=r.text(keys["title"], f"{field}.title"),
            producer=self.ident(keys["produced_by"], f"{field}.produced_by"),
            number=r.integer(keys["number"], f"{field}.number", minimum=0)
            if "number" in keys
            else None,
            producer_source=self.source(keys, "produced_by_source", field, "documento"),
            note=self.opt_text(keys, "note", field),
            roles=self.roles(keys, field),
            line=line_of(node),
            doc_path=field,
            lines=_lines(keys),
        )
        self.add_deliverable(deliverable, node, field)
        return deliverable.id

    def milestone(self, node: Node, field: str) -> str:
        item, keys, field = self.schedulable(node, field, ItemKind.MILESTONE, "", MILESTONE_KEYS)
        if "duration" in keys and item.duration != 0:
            raise self.r.error(
                keys["duration"], f"{field}.duration", _("a milestone has no duration (0)")
            )
        item.milestone_kind = self.choice(keys, "kind", field, MILESTONE_KINDS, "other")
        self.add_item(item, node, field)
        return item.id

    # -- communication ---------------------------------------------------------------------
    def communication(self, node: Node, field: str) -> Communication:
        r = self.r
        keys = r.mapping(
            node,
            field,
            {"title", "period", "description", "objectives", "audience", "channels", "targets"},
            ("title", "period"),
        )
        comm = Communication(
            r.text(keys["title"], f"{field}.title"),
            self.period(keys["period"], f"{field}.period"),
            self.opt_text(keys, "description", field),
            audience=self.opt_text(keys, "audience", field),
            lines=_lines(keys),
        )
        if isinstance(keys["period"], MappingNode):
            for key, value in keys["period"].value:
                comm.lines[f"period.{key.value}"] = line_of(value)
        if "objectives" in keys:
            obj = r.mapping(keys["objectives"], f"{field}.objectives", {"internal", "external"})
            comm.internal_objectives = self.opt_texts(obj, "internal", f"{field}.objectives")
            comm.external_objectives = self.opt_texts(obj, "external", f"{field}.objectives")
        if "channels" in keys:

            def channel(child: Node, sub: str) -> Channel:
                c = r.mapping(child, sub, {"id", "name", "description"}, ("id", "name"))
                slug = r.text(c["id"], f"{sub}.id")
                if not _SLUG.match(slug):
                    raise r.error(
                        c["id"],
                        f"{sub}.id",
                        _(
                            "a channel id is a lowercase slug (letters, digits, - and _): {id!r}"
                        ).format(id=slug),
                    )
                what = _("duplicate channel id {id}").format(id=slug)
                self.unique(self.channel_ids, slug, c["id"], f"{sub}.id", what)
                return Channel(
                    slug, r.text(c["name"], f"{sub}.name"), self.opt_text(c, "description", sub)
                )

            comm.channels = self.each(keys["channels"], f"{field}.channels", channel)
        if "targets" in keys:
            comm.targets = self.each(keys["targets"], f"{field}.targets", self.target)
        return comm

    def target(self, node: Node, field: str) -> CommunicationTarget:
        r = self.r
        keys = r.mapping(
            node, field, TARGET_KEYS, ("id", "action", "text", "channels", "count", "unit")
        )
        target_id = r.text(keys["id"], f"{field}.id")
        if not _SLUG.match(target_id):
            raise r.error(
                keys["id"],
                f"{field}.id",
                _("a target id is a lowercase slug (letters, digits, - and _): {id!r}").format(
                    id=target_id
                ),
            )
        field = f"{field.rsplit('[', 1)[0]}[{target_id}]"
        what = _("duplicate target id {id}").format(id=target_id)
        self.unique(self.target_ids, target_id, keys["id"], f"{field}.id", what)
        unit_text = r.text(keys["unit"], f"{field}.unit")
        try:
            unit = TargetUnit(unit_text)
        except ValueError:
            raise r.error(
                keys["unit"],
                f"{field}.unit",
                _("must be one of: {values}").format(values=", ".join(u.value for u in TargetUnit)),
            ) from None
        target = CommunicationTarget(
            id=target_id,
            objective=self.opt_text(keys, "objective", field),
            action=r.text(keys["action"], f"{field}.action"),
            text=r.text(keys["text"], f"{field}.text"),
            channels=r.texts(keys["channels"], f"{field}.channels"),
            count=r.integer(keys["count"], f"{field}.count", minimum=1),
            unit=unit,
            quarters=[
                self.quarter(q, sub) for sub, q in r.items(keys["quarters"], f"{field}.quarters")
            ]
            if "quarters" in keys
            else [],
            per_channel=r.boolean(keys["per_channel"], f"{field}.per_channel")
            if "per_channel" in keys
            else False,
            stated_total=r.integer(keys["stated_total"], f"{field}.stated_total", minimum=1)
            if "stated_total" in keys
            else None,
            item=self.opt_text(keys, "item", field),
            at_least=r.boolean(keys["at_least"], f"{field}.at_least")
            if "at_least" in keys
            else False,
            note=self.opt_text(keys, "note", field),
            line=line_of(node),
            lines=_lines(keys, ("channels", "quarters")),
        )
        if not target.channels:
            raise r.error(keys["channels"], f"{field}.channels", _("must name a channel"))
        if (unit is TargetUnit.IN_QUARTER) != bool(target.quarters):
            raise r.error(
                node,
                f"{field}.quarters",
                _("quarters are required with unit in_quarter, and only with it"),
            )
        return target
