"""Spanish by default, English on request, and every message translated."""

import subprocess
import sys

import pytest

from tracker.i18n import _, detect_language, parse_po, set_language

from ..conftest import ROOT


def test_every_message_has_a_spanish_translation() -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    import extract_messages

    catalog = parse_po((ROOT / "tracker" / "locale" / "es.po").read_text(encoding="utf-8"))
    missing = [m for m in extract_messages.messages() if not catalog.get(m)]
    assert missing == [], "run scripts/extract_messages.py and translate tracker/locale/es.po"


def test_placeholders_survive_translation() -> None:
    import re

    catalog = parse_po((ROOT / "tracker" / "locale" / "es.po").read_text(encoding="utf-8"))
    for msgid, msgstr in catalog.items():
        assert sorted(re.findall(r"\{[^}]*\}", msgid)) == sorted(
            re.findall(r"\{[^}]*\}", msgstr)
        ), msgid


def test_language_selection(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("TRACKER_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    assert detect_language() == "es"
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert detect_language() == "en"
    monkeypatch.setenv("TRACKER_LANG", "es")
    assert detect_language() == "es"
    assert detect_language("en") == "en"
    set_language("es")
    assert _("missing required field") == "falta un campo obligatorio"
    set_language("en")
    assert _("missing required field") == "missing required field"


def test_cli_speaks_spanish_by_default() -> None:
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    result = subprocess.run(
        [sys.executable, "-m", "tracker", "plan", "check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
    )
    assert result.returncode == 0
    assert "plan válido panama-fase2" in result.stdout
    english = subprocess.run(
        [sys.executable, "-m", "tracker", "--lang", "en", "plan", "check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
    )
    assert "valid plan panama-fase2" in english.stdout


def test_argparse_own_texts_speak_the_interface_language() -> None:
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "tracker", *args],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=env,
        )

    help_es = run("set", "--help").stdout
    assert help_es.startswith("uso: tracker set") and "opciones:" in help_es
    assert "muestra esta ayuda y termina" in help_es and "usage" not in help_es
    missing = run("set")
    assert missing.returncode == 2
    assert missing.stderr.strip() == "tracker set: error: faltan los argumentos: id, status"
    choice = run("--lang", "xx", "plan")
    assert "opción no válida: 'xx' (elija entre 'es', 'en')" in choice.stderr
    english = run("--lang", "en", "set")
    assert "the following arguments are required: id, status" in english.stderr
