"""The UI language: Chinese first, English second, through Qt's translation system.

Source strings are English; resources/i18n/desktop_app_zh_CN.ts holds the Chinese, compiled to .qm by the
set-up (pyside6-lrelease). Domain and service messages already carry both languages and are picked by
`lang()`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLibraryInfo, QLocale, QTranslator

from desktop_app.domain.text import is_chinese

I18N_DIR = Path(__file__).resolve().parents[3] / "resources" / "i18n"

# Qt's own catalogue (qtbase_zh_CN) lags behind Qt 6's sources: the non-native file dialog's labels gained an
# accelerator ("&Look in:") that the shipped Chinese does not know, so they stayed English. Our catalogue carries
# them; it is searched after Qt's, which has no entry for them.
QT_STRINGS_MISSING_IN_QTBASE = (
    QT_TRANSLATE_NOOP("QFileDialog", "&Look in:"),
    QT_TRANSLATE_NOOP("QFileDialog", "Files of &type:"),
)
_installed: list[QTranslator] = []
# The catalogue's bytes, read once and held here: Qt maps a .qm *file* into memory and reads it as long as the
# translator lives, so a .qm replaced while the app runs (an upgrade, a rebuild of the translations) turned every
# later message English, or crashed the app (SIGBUS) when the new file was shorter. From bytes Qt reads ours.
_catalogues: list[bytes] = []
_current = "en"


def system_language() -> str:
    """zh_CN where the system locale is Chinese, else en."""
    return "zh_CN" if QLocale.system().language() == QLocale.Language.Chinese else "en"


def resolve(setting: object) -> str:
    """The language to use for a `language` setting value (system, zh_CN or en)."""
    return system_language() if setting in (None, "", "system") else str(setting)


def install(language: str) -> str:
    """Install the translators for `language` on the running application; returns the language in use."""
    global _current
    app = QCoreApplication.instance()
    assert app is not None
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    _catalogues.clear()
    _current = "en"
    if is_chinese(language):
        ours = QTranslator(app)
        try:
            catalogue = (I18N_DIR / "desktop_app_zh_CN.qm").read_bytes()
        except OSError:
            catalogue = b""
        if catalogue and ours.load(catalogue):
            _catalogues.append(catalogue)  # must outlive the translator: Qt does not copy it
            app.installTranslator(ours)
            _installed.append(ours)
            _current = "zh_CN"
        qt = QTranslator(app)
        if qt.load("qtbase_zh_CN", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            app.installTranslator(qt)
            _installed.append(qt)
        QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    else:
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    return _current


def lang() -> str:
    """The language in use: zh_CN or en (for messages the domain and services give in both)."""
    return _current


def tr(context: str, text: str) -> str:
    """Translate outside a QObject (module-level labels)."""
    return QCoreApplication.translate(context, text)
