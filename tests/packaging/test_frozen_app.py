"""The installable app: the PyInstaller one-folder build (packaging/desktop_app.spec) is made once per session
and run as a branch would run it, outside the source tree and the virtualenv: the version, a new encrypted
store (SQLCipher, the Alembic migrations, the form), OCR with the system Tesseract, the central server's
command line and the GUI's start-up with its Chinese translation."""

from __future__ import annotations

import configparser
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from desktop_app import __version__
from tests.support.id_documents import TODAY, cn_id_front, passport_td3, synthetic_identity

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "packaging" / "desktop_app.spec"
ADMIN_PW = "Admin-Passw0rd-1"
PASSPHRASE = "Branch-Key-Passphrase-7"

# The build (about 2 minutes on two cores) happens in the first test's set-up.
pytestmark = pytest.mark.timeout(1500)


@pytest.fixture(scope="session")
def app_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built one-folder app (dist/desktop-app), built from the spec into a temporary directory."""
    build = tmp_path_factory.mktemp("package")
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level",
            "WARN",
            "--distpath",
            str(build / "dist"),
            "--workpath",
            str(build / "work"),
            str(SPEC),
        ],
        capture_output=True,
        text=True,
        timeout=1400,
        cwd=ROOT,
    )
    assert out.returncode == 0, out.stderr[-5000:]
    return build / "dist" / "desktop-app"


def _env(**extra: str) -> dict[str, str]:
    """The environment of a branch machine: nothing from the tests (their keyring, PYTHONPATH) leaks in."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"PYTHONPATH", "PYTHON_KEYRING_BACKEND", "DESKTOP_APP_TEST_KEYRING", "DESKTOP_APP_DATA_DIR"}
        and not k.startswith(("LC_", "VIRTUAL_ENV"))
    }
    env.update({"LANG": "C.UTF-8", "QT_QPA_PLATFORM": "offscreen", **extra})
    return env


def run(app_dir: Path, *args: str, stdin: str = "", cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run the packaged executable from a directory outside the source tree."""
    out = subprocess.run(
        [str(app_dir / "desktop-app"), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=cwd,
        env=_env(**env),
    )
    assert "Traceback" not in out.stderr, out.stderr
    return out


def test_the_packaged_app_reports_its_version(app_dir: Path, tmp_path: Path) -> None:
    out = run(app_dir, "--version", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == f"desktop-app {__version__}"


def test_the_bundle_holds_the_data_files_and_leaves_out_what_is_unused(app_dir: Path) -> None:
    internal = app_dir / "_internal"
    assert (internal / "resources" / "forms" / "personal_customer.yaml").is_file()
    assert (internal / "resources" / "i18n" / "desktop_app_zh_CN.qm").is_file()
    versions = internal / "desktop_app" / "storage" / "migrations" / "versions"
    assert {p.name for p in versions.glob("*.py")} >= {"0001_initial_schema.py"}
    assert (internal / "desktop_app" / "storage" / "migrations" / "env.py").is_file()
    names = {p.name for p in internal.rglob("*") if p.exists()}  # a dangling link is no library
    assert not any(n.startswith(("libQt6WebEngine", "libQt6Quick", "libQt6Qml", "_tkinter")) for n in names)
    assert any(n.startswith("libQt6Charts") for n in names)


def test_a_new_store_is_created_filled_and_verified_by_the_packaged_app(app_dir: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    common = {"cwd": tmp_path, "DESKTOP_APP_PASSPHRASE": PASSPHRASE, "DESKTOP_APP_DATA_DIR": str(data)}
    out = run(app_dir, "init", "--admin", "boss", "--password-stdin", "--key-storage", "passphrase",
              stdin=ADMIN_PW + "\n", **common)  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert "RECOVERY CODE" in out.stdout
    assert (data / "workstation.db").is_file()
    out = run(app_dir, "seed-demo", "--records", "5", "--seed", "7", "--user", "boss", "--password-stdin",
              stdin=ADMIN_PW + "\n", **common)  # fmt: skip
    assert out.returncode == 0, out.stderr
    out = run(app_dir, "verify", **common)
    assert out.returncode == 0, out.stderr
    assert "cipher_integrity_check: ok" in out.stdout
    assert "audit chain: ok" in out.stdout
    out = run(app_dir, "verify", **{**common, "DESKTOP_APP_PASSPHRASE": "not-the-passphrase"})
    assert out.returncode == 1
    assert out.stderr.startswith("error: ")


def test_the_packaged_app_reads_id_documents(app_dir: Path, tmp_path: Path) -> None:
    files: list[Path] = []
    truths: list[tuple[str, str, str]] = []
    rng = random.Random(0)
    image, truth = passport_td3(synthetic_identity(rng, "any", TODAY), rng)
    files.append(_save(image, tmp_path / "passport.png"))
    truths.append(("mrz_td3", "document_number", truth["document_number"]))
    rng = random.Random(0)
    image, truth = cn_id_front(synthetic_identity(rng, "resident", TODAY), rng)
    files.append(_save(image, tmp_path / "card.png"))
    truths.append(("cn_id_front", "id_number", truth["id_number"]))
    out = run(app_dir, "ocr", "--json", *map(str, files), cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    for line, (kind, field, value) in zip(lines, truths, strict=True):
        assert line["document_type"] == kind
        assert line["fields"][field]["value"] == value
        assert line["fields"][field]["verified"]


def _save(image: Image.Image, path: Path) -> Path:
    image.save(path)
    return path


def test_the_packaged_app_carries_the_central_server(app_dir: Path, tmp_path: Path) -> None:
    out = run(app_dir, "serve", "--help", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "usage:" in out.stdout


def test_the_packaged_gui_starts_in_chinese_and_quits(app_dir: Path, tmp_path: Path) -> None:
    # An empty data directory: the first-run set-up is the first window; its title comes from the .qm.
    out = run(app_dir, "--data-dir", str(tmp_path / "new"), "--smoke-gui", cwd=tmp_path, LANG="zh_CN.UTF-8")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "gui started: 初始化本工作站"


def test_the_desktop_entry_and_the_icons_are_complete() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive here
    entry.read(ROOT / "packaging" / "linux" / "desktop-app.desktop", encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Type"] == "Application"
    assert section["Exec"].split()[0] == "desktop-app"
    assert section["Icon"] == "desktop-app"
    assert section["Terminal"] == "false"
    assert section["Categories"] == "Office;Finance;"
    assert section["Name[zh_CN]"]
    icons = ROOT / "resources" / "icons"
    for size in (16, 24, 32, 48, 64, 128, 256):
        with Image.open(icons / f"desktop-app-{size}.png") as png:
            assert png.size == (size, size)
    with Image.open(icons / "desktop-app.ico") as ico:
        assert {(16, 16), (32, 32), (48, 48), (256, 256)} <= set(ico.info["sizes"])


def test_a_branch_installs_updates_rolls_back_and_removes_the_app_keeping_its_data(
    app_dir: Path, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    data = home / ".local" / "share" / "desktop-app"
    data.mkdir(parents=True)
    (data / "workstation.db").write_bytes(b"the branch's data")
    prefix = home / ".local" / "opt" / "desktop-app"
    command = home / ".local" / "bin" / "desktop-app"

    def install(*args: str) -> subprocess.CompletedProcess[str]:
        env = _env(HOME=str(home))
        env.pop("XDG_DATA_HOME", None)
        out = subprocess.run(
            ["bash", str(ROOT / "packaging" / "linux" / "install.sh"), "--user", *args],
            capture_output=True,
            text=True,
            timeout=300,
            cwd=tmp_path,
            env=env,
        )
        assert out.returncode == 0, out.stderr
        return out

    install("--from", str(app_dir))
    assert subprocess.run([str(command), "--version"], capture_output=True, text=True).stdout.startswith("desktop-app")
    entry = (home / ".local" / "share" / "applications" / "desktop-app.desktop").read_text(encoding="utf-8")
    assert f"Exec={prefix}/desktop-app\n" in entry
    assert (home / ".local" / "share" / "icons" / "hicolor" / "256x256" / "apps" / "desktop-app.png").is_file()

    out = install("--from", str(app_dir))  # the update
    assert "replacing desktop-app" in out.stdout
    assert (prefix.parent / "desktop-app.previous" / "desktop-app").is_file()
    install("--rollback")
    assert not (prefix.parent / "desktop-app.previous").exists()
    assert (prefix / "desktop-app").is_file()

    install("--uninstall")
    assert not prefix.exists()
    assert not command.exists()
    assert (data / "workstation.db").read_bytes() == b"the branch's data"


def test_the_windows_installer_installs_what_the_spec_builds() -> None:
    iss = (ROOT / "packaging" / "windows" / "desktop_app.iss").read_text(encoding="utf-8-sig")
    spec = SPEC.read_text(encoding="utf-8")
    assert 'executable("desktop-app-cli", console=True)' in spec
    assert "desktop-app-cli.exe" in iss
    assert '{app}\\desktop-app.exe"' in iss
    # the fixed AppId: an update must find the installed program
    assert "AppId={{68F7DF50-E1F6-4C26-8709-405B5C144600}" in iss
    assert "DefaultDirName={autopf}\\DesktopApp" in iss
