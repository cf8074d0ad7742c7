import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_catalog_translates_every_string():
    result = subprocess.run(
        [sys.executable, "scripts/translations.py", "check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout


def test_catalogs_cover_every_string_in_the_code(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            Path(sys.executable).parent / "pybabel",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "--no-location",
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    from babel.messages.pofile import read_po

    with pot.open("rb") as fh:
        wanted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}
    for lang in ("nb", "nn", "en"):
        po = ROOT / "baerekraft_hub/translations" / lang / "LC_MESSAGES/messages.po"
        with po.open("rb") as fh:
            have = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}
        assert not wanted - have, f"{lang} is missing {sorted(wanted - have)[:5]}"
