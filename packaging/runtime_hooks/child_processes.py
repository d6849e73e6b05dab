"""PyInstaller runtime hook: the programs the frozen app starts (Tesseract) see the system, not the bundle.

- Linux: the bootloader points LD_LIBRARY_PATH at the bundle so that the app finds its own libraries; a system
  `tesseract` started with that setting could load the bundle's copies instead of its own. The loader has read
  the variable already, so putting the original back changes only what child processes see.
- Windows: Tesseract is not on PATH by default. A `tesseract\\` folder beside the executable (the installer's
  optional component), else the usual install folder, is put first on PATH for pytesseract to find, and its
  language data is named in TESSDATA_PREFIX for the Tesseract that runs in the app's own process (tesserocr).
"""

import os
import sys

if sys.platform.startswith("linux"):
    original = os.environ.pop("LD_LIBRARY_PATH_ORIG", None)
    if original is not None:
        os.environ["LD_LIBRARY_PATH"] = original
    elif os.environ.get("LD_LIBRARY_PATH", "").split(os.pathsep)[0] == getattr(sys, "_MEIPASS", None):
        del os.environ["LD_LIBRARY_PATH"]

if sys.platform == "win32":
    candidates = [
        os.path.join(os.path.dirname(sys.executable), "tesseract"),
        os.path.join(os.environ.get("PROGRAMFILES", r"C:\Program Files"), "Tesseract-OCR"),
    ]
    for folder in candidates:
        if os.path.isfile(os.path.join(folder, "tesseract.exe")):
            os.environ["PATH"] = folder + os.pathsep + os.environ.get("PATH", "")
            if os.path.isdir(os.path.join(folder, "tessdata")):
                os.environ.setdefault("TESSDATA_PREFIX", os.path.join(folder, "tessdata"))
            break
