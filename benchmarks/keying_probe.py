"""The keying-speed probe of bench_paper (issue 16): a scripted clerk keys generated forms into the real entry form,
a top-level window, keystroke by keystroke (QTest key events into the window's focused field), once with the
record's paper page beside the fields (the page loading and zooming to each field as the clerk moves on) and once
from an in-memory list of values (no pages: the pane stays hidden). Run in its own process by bench_paper, on the
platform it is given (xcb on a private Xvfb with openbox, or offscreen); prints one JSON line of figures.

What is timed, per form: from the record shown to the last keystroke processed, the keystrokes' own handling
(each key press and release, and the events it posted, processed before the next) and the move to the next field.
The clerk types at once, without waiting for the page: if showing it ever held up the GUI thread, the typing would
wait, and the form would take longer.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit

from desktop_app.domain.form_schema import FORM_NUMBER, default_form_path, load_default_form
from desktop_app.domain.paper_layout import layouts_for
from desktop_app.domain.roles import Role
from desktop_app.services.workstation import Workstation
from desktop_app.storage.keystore import KeyMethod
from desktop_app.ui.common import i18n, worker
from desktop_app.ui.records.entry_form import EntryForm
from tests.support.customers import resident
from tests.support.paper_forms import draw_form

PASSWORD = "Bench-Passw0rd-1"
PASSPHRASE = "bench passphrase for keying"


def _wait(app: QApplication, condition: object, timeout_s: float = 30.0) -> None:
    deadline = time.perf_counter() + timeout_s
    while not condition() and time.perf_counter() < deadline:  # type: ignore[operator]
        app.processEvents()
        time.sleep(0.002)


def _key_form(app: QApplication, form: EntryForm, values: dict[str, str]) -> tuple[float, list[float]]:
    """Key the text fields of `values` into the form; (seconds for the whole form, ms per keystroke)."""
    latencies: list[float] = []
    started = time.perf_counter()
    for spec in form.schema.fields:
        if spec.key == FORM_NUMBER or spec.choices:
            continue  # the number comes from the page's code; the choice lists are picked, not typed
        widget = form.editors[spec.key].focus_widget()
        if not isinstance(widget, QLineEdit):
            continue
        widget.setFocus(Qt.FocusReason.TabFocusReason)  # the move to the next field: the page zooms there
        app.processEvents()
        for char in values.get(spec.key, ""):
            t0 = time.perf_counter()
            if ord(char) < 128:
                QTest.keyClick(widget, char)
            else:  # Chinese arrives as an input method's commit, the way a Pinyin IME delivers each character
                event = QInputMethodEvent("", [])
                event.setCommitString(char)
                QApplication.sendEvent(widget, event)
            app.processEvents()
            latencies.append((time.perf_counter() - t0) * 1000)
    return time.perf_counter() - started, latencies


def main(forms: int) -> None:
    app = QApplication.instance() or QApplication(sys.argv)
    i18n.install("zh_CN")
    schema = load_default_form()
    (layout,) = layouts_for(default_form_path().parent, schema)
    with tempfile.TemporaryDirectory() as tmp:
        ws, _, admin = Workstation.initialise(Path(tmp) / "data", "admin", PASSWORD, KeyMethod.PASSPHRASE, PASSPHRASE)
        ws.users.add(admin, "teller", PASSWORD, {Role.TELLER})
        teller, _ = ws.auth.login("teller", PASSWORD)
        ws.auth.change_password(teller, PASSWORD, PASSWORD + "x")
        teller, _ = ws.auth.login("teller", PASSWORD + "x")
        people = [resident(9000 + n) for n in range(forms)]
        jobs = []
        for n, person in enumerate(people):
            for mode in ("image", "list"):
                rid = ws.records.create(teller, {"name": "待录入"}).record_id  # a draft the clerk keys into
                if mode == "image":
                    for page in draw_form(layout, person, f"{70000000 + n:08d}", seed=n):
                        ws.paper.add_page(teller, rid, page, "scanner")
                jobs.append((mode, rid, person))
        form = EntryForm(ws, teller)
        form.resize(1366, 720)
        form.show()
        form.activateWindow()
        _wait(app, form.isVisible)
        figures: dict[str, dict[str, list[float]]] = {m: {"form_s": [], "key_ms": []} for m in ("image", "list")}
        shown_pages = 0
        for mode, rid, person in jobs:
            form.load_record(rid)
            _wait(app, lambda r=rid: form.record_id == r and not worker.busy())  # the record in the form
            seconds, latencies = _key_form(app, form, person)
            figures[mode]["form_s"].append(seconds)
            figures[mode]["key_ms"].extend(latencies)
            if mode == "image":
                _wait(app, lambda: form.paper_pane.paper is not None, 30)
                shown_pages += form.paper_pane.paper is not None
            form.load_new()
            _wait(app, lambda: not worker.busy())
        print(json.dumps({"figures": figures, "pages_shown": shown_pages, "platform": app.platformName()}))
        form.close()
        ws.close()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 8)
