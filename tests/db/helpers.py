from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from tracker.plan.load import parse_plan
from tracker.plan.model import Plan
from tracker.store.engine import make_engine, upgrade
from tracker.store.models import ChangeRow
from tracker.store.planstore import find_plan, init_plan
from tracker.store.session import transaction

SMALL = """format: tracker-plan/1
plan:
  id: pequeno
  title: Plan pequeño
  country: PA
  period: {start: 2018-01-01, end: 2018-07-31}
areas:
  - id: "1"
    title: Área uno
    tasks:
      - id: A
        title: Tarea A
        duration: 5
        roles: [{role: lidera, who: DGS}]
        allies: [SINAPROC]
        products: [{id: A-P1, title: Informe A}]
      - {id: B, title: Tarea B, duration: 3, depends_on: [A-P1]}
      - {id: C, title: Tarea C, duration: 2}
"""


def small_plan(tmp_path: Path, text: str = SMALL) -> Plan:
    path = tmp_path / "small.yaml"
    path.write_text(text, encoding="utf-8")
    return parse_plan(str(path), text)


def fresh_db(url: str, plan: Plan, author: str = "ana") -> sessionmaker[Session]:
    engine = make_engine(url)
    upgrade(engine)
    sessions = sessionmaker(engine, expire_on_commit=False)
    transaction(sessions, lambda s: init_plan(s, plan, author))
    return sessions


def change_count(sessions: sessionmaker[Session]) -> int:
    return transaction(sessions, lambda s: s.scalar(select(func.count(ChangeRow.id))) or 0)


def run(sessions: sessionmaker[Session], fn: Any, *args: Any, **kwargs: Any) -> Any:
    return transaction(sessions, lambda s: fn(s, find_plan(s), *args, **kwargs))


D = date


def downgrade(engine: Any, revision: str) -> None:
    """Take the database back to ``revision``: what that release left on disk."""
    from alembic import command
    from alembic.config import Config

    from tracker.store import engine as engine_module

    config = Config()
    config.set_main_option(
        "script_location", str(Path(engine_module.__file__).with_name("migrations"))
    )
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)
