"""`tracker comms` as the team uses it: a realistic log, checked at every month's end."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import ROOT

# A realistic first half of 2018, as the team might keep it in a spreadsheet.
LOG = """fecha;canal;meta;titulo;cantidad;enlace;nota
2018-01-09;correo;hojas-informativas;Hoja informativa 1: qué es la resiliencia;1;;
2018-01-15;web;web-publicaciones;Inicio de la Fase II;1;https://mupa.gob.pa/r/1;
2018-01-16;facebook;redes-posts;Inicio de la Fase II;1;;
2018-01-16;twitter;redes-posts;Inicio de la Fase II;1;;
2018-01-16;instagram;redes-posts;Inicio de la Fase II;1;;
2018-01-25;facebook;redes-posts;Taller de movilidad;1;;
2018-01-25;twitter;redes-posts;Taller de movilidad;1;;
2018-01-30;instagram;redes-posts;Taller de movilidad;1;;
2018-02-02;periodicos;prensa-notas;Nota: arranca la Fase II;1;;
2018-02-02;radio;radio-entrevista-mesa;Entrevista al CRO y la Mesa;1;;
2018-02-02;presentaciones;eventos-presentaciones;Día de los Humedales;1;;
2018-02-20;web;web-publicaciones;Taller comunitario en Tocumen;1;;
2018-03-01;materiales;promo-tshirts;Camisetas;200;;
2018-03-14;presentaciones;mesa-presentaciones;Sesión de la Mesa Técnica;1;;
2018-03-20;web;web-publicaciones;Síntesis de áreas;1;;
2018-04-18;urbe;urbe-publicaciones;Revista URBE abril;1;;
2018-05-10;web;web-publicaciones|lanzamiento-web;Anuncio del lanzamiento;1;;
"""

# (month, target, channel) -> state, worked out by hand from the log above.
EXPECTED = {
    ("2018-01", "hojas-informativas", None): "cumplida",  # Jan–Feb bimester, sheet on Jan 9
    ("2018-01", "redes-posts", "facebook"): "cumplida",  # 2 posts
    ("2018-01", "redes-posts", "instagram"): "cumplida",  # 2 posts
    ("2018-01", "web-publicaciones", None): "cumplida",
    ("2018-01", "prensa-notas", None): "en_curso",  # Jan–Feb open, none yet
    ("2018-01", "radio-entrevista-mesa", None): "en_curso",  # Q1 open
    ("2018-01", "tv-entrevista", None): "proxima",  # Q2 only
    ("2018-02", "redes-posts", "facebook"): "incumplida",  # none in February, now over
    ("2018-02", "prensa-notas", None): "cumplida",
    ("2018-02", "radio-entrevista-mesa", None): "cumplida",
    ("2018-02", "promo-tshirts", None): "atrasada",  # 200 × 59/212 = 55 expected
    ("2018-03", "hojas-informativas", None): "en_curso",  # Mar–Apr open
    ("2018-03", "promo-tshirts", None): "cumplida",
    ("2018-03", "mesa-presentaciones", None): "cumplida",
    ("2018-03", "urbe-publicaciones", None): "en_curso",  # 2 × 90/212 = 0 expected so far
    ("2018-04", "hojas-informativas", None): "incumplida",  # Mar–Apr over, none
    ("2018-04", "web-publicaciones", None): "incumplida",  # nothing in April
    ("2018-04", "urbe-publicaciones", None): "en_curso",  # 1 done, 2 × 120/212 = 1 expected
    ("2018-04", "eventos-presentaciones", None): "en_curso",  # 1 done, 3 × 120/212 = 1
    ("2018-05", "lanzamiento-web", None): "cumplida",  # one activity, two targets
    ("2018-05", "web-publicaciones", None): "cumplida",
    ("2018-05", "hojas-informativas", None): "en_curso",  # May–Jun open
    ("2018-06", "tv-entrevista", None): "incumplida",  # Q2 over at the end of Jun 30
    ("2018-06", "eventos-presentaciones", None): "atrasada",  # 1 done, 3 × 181/212 = 2
    ("2018-07", "tv-entrevista", None): "incumplida",  # Q2 ended with no interview
    ("2018-07", "radio-entrevista-mesa", None): "incumplida",  # Q2 ended short
    ("2018-07", "urbe-publicaciones", None): "incumplida",  # 1 of 2 when the window closed
    ("2018-07", "directores-presentaciones", None): "cumplida",  # July expects none (total 2)
}


@pytest.fixture()
def tracker(tmp_path: Path):  # type: ignore[no-untyped-def]
    env = {
        **os.environ,
        "TRACKER_DB": str(tmp_path / "t.db"),
        "TRACKER_USER": "ana",
        "TRACKER_LANG": "en",
    }

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "tracker", *args],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=env,
        )

    run("init")
    return run


def test_realistic_log_month_by_month(tracker, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    log = tmp_path / "bitacora.csv"
    log.write_text(LOG, encoding="utf-8")
    result = tracker("comms", "import", str(log))
    assert result.returncode == 0 and "imported 17 activities" in result.stdout
    for month in ("2018-01", "2018-02", "2018-03", "2018-04", "2018-05", "2018-06", "2018-07"):
        rows = json.loads(tracker("comms", "check", "--month", month, "--json").stdout)
        assert {
            "target",
            "action",
            "channel",
            "period_start",
            "period_end",
            "expected",
            "done",
            "state",
        } <= set(rows[0])
        assert len(rows) == 24  # 22 targets, redes-posts once per network
        got = {(r["target"], r["channel"]): r["state"] for r in rows}
        for (m, key, channel), state in EXPECTED.items():
            if m == month:
                assert got[(key, channel)] == state, (month, key, channel)
    text = tracker("comms", "check", "--month", "2018-02").stdout
    assert "met" in text.splitlines()[-1] and "redes-posts" in text
    listed = json.loads(tracker("comms", "list", "--month", "2018-05", "--json").stdout)
    assert [r["targets"] for r in listed] == [["web-publicaciones", "lanzamiento-web"]]


def test_quarter_view_judges_each_period_of_the_quarter(tracker, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    log = tmp_path / "bitacora.csv"
    log.write_text(LOG, encoding="utf-8")
    tracker("comms", "import", str(log))
    rows = json.loads(
        tracker("comms", "quarter", "--quarter", "2018Q1", "--as-of", "2018-08-01", "--json").stdout
    )
    web = [(r["period_start"], r["state"]) for r in rows if r["target"] == "web-publicaciones"]
    # The Spanish way of writing a quarter (2018T1, as the plan's tables do) names the same.
    spanish = tracker("comms", "quarter", "--quarter", "2018t1", "--as-of", "2018-08-01", "--json")
    assert json.loads(spanish.stdout) == rows
    # January and February met; March met (Mar 20).
    assert web == [
        ("2018-01-01", "cumplida"),
        ("2018-02-01", "cumplida"),
        ("2018-03-01", "cumplida"),
    ]
    facebook = [
        r["state"] for r in rows if r["target"] == "redes-posts" and r["channel"] == "facebook"
    ]
    assert facebook == ["cumplida", "incumplida", "incumplida"]
    hojas = [(r["period_end"], r["state"]) for r in rows if r["target"] == "hojas-informativas"]
    # Mar–Apr overlaps Q1; judged on Apr 1 it is still open.
    assert hojas == [("2018-02-28", "cumplida"), ("2018-04-30", "en_curso")]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            [
                "--date",
                "2018-01-10",
                "--channel",
                "tiktok",
                "--target",
                "redes-posts",
                "--title",
                "x",
            ],
            "unknown channel tiktok",
        ),
        (
            ["--date", "2018-01-10", "--channel", "web", "--target", "memes", "--title", "x"],
            "unknown target memes",
        ),
        (
            [
                "--date",
                "2019-01-10",
                "--channel",
                "web",
                "--target",
                "web-publicaciones",
                "--title",
                "x",
            ],
            "outside the plan period",
        ),
        (
            [
                "--date",
                "2018-01-10",
                "--channel",
                "materiales",
                "--target",
                "promo-tshirts",
                "--title",
                "x",
                "--qty",
                "-5",
            ],
            "at least 1",
        ),
        (
            [
                "--date",
                "2018-13-01",
                "--channel",
                "web",
                "--target",
                "web-publicaciones",
                "--title",
                "x",
            ],
            "invalid date",
        ),
    ],
)
def test_bad_input_one_line_exit_2(tracker, args: list[str], message: str) -> None:  # type: ignore[no-untyped-def]
    result = tracker("comms", "add", *args)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and message in result.stderr
    assert json.loads(tracker("comms", "list", "--json").stdout) == []


def test_bad_csv_imports_nothing_and_names_every_bad_line(tracker, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "mala.csv"
    bad.write_text(
        "date,channel,target,title\n2018-01-05,web,web-publicaciones,ok\n"
        "2018-01-06,web,redes-posts,mal canal\n2018-01-07,web,,sin meta\n",
        encoding="utf-8",
    )
    result = tracker("comms", "import", str(bad))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert [line.split(": ")[0] for line in lines] == [f"{bad}:3", f"{bad}:4"]
    assert json.loads(tracker("comms", "list", "--json").stdout) == []
