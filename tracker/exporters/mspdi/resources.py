"""The lead organisations as work resources, each assigned to the items it leads."""

from __future__ import annotations

from collections.abc import Mapping
from xml.etree.ElementTree import Element, SubElement

from tracker.exporters.mspdi.tasks import TaskRow
from tracker.exporters.mspdi.xml import add, duration

RESOURCE_WORK = 1
# MS Project refuses a resource name with a list separator or square brackets.
_NOT_IN_RESOURCE = str.maketrans({",": ";", "[": "(", "]": ")"})


def resource_name(name: str) -> str:
    """``name`` as MS Project accepts a resource's name."""
    return " ".join(name.translate(_NOT_IN_RESOURCE).split())[:255]


def build_resources(rows: Mapping[str, TaskRow]) -> tuple[Element, Element, int]:
    """``<Resources>`` and ``<Assignments>``, and the number of assignments.

    One resource per distinct lead name (as the plan writes it), in order of first
    appearance; each assignment at 100 % units, its work the item's working time.
    """
    uids: dict[str, int] = {}
    resources = Element("Resources")
    for row in rows.values():
        row.leads = list(dict.fromkeys(resource_name(n) for n in row.leads if n.strip()))
        for name in row.leads:
            if name not in uids:
                uid = uids[name] = len(uids) + 1
                resource = SubElement(resources, "Resource")
                add(resource, "UID", uid)
                add(resource, "ID", uid)
                add(resource, "Name", name)
                add(resource, "Type", RESOURCE_WORK)
                add(resource, "IsNull", False)
                add(resource, "MaxUnits", "1.00")
    assignments = Element("Assignments")
    count = 0
    for row in rows.values():
        for name in row.leads:
            count += 1
            assignment = SubElement(assignments, "Assignment")
            add(assignment, "UID", count)
            add(assignment, "TaskUID", row.uid)
            add(assignment, "ResourceUID", uids[name])
            add(assignment, "PercentWorkComplete", row.percent)
            add(assignment, "Finish", row.finish)
            add(
                assignment,
                "RemainingWork",
                duration(row.minutes - row.minutes * row.percent // 100),
            )
            add(assignment, "Start", row.start)
            add(assignment, "Units", 1)
            add(assignment, "Work", duration(row.minutes))
    return resources, assignments, count
