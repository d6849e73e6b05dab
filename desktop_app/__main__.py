"""`python -m desktop_app`, and the entry point of the packaged app (packaging/desktop_app.spec)."""

import multiprocessing

from desktop_app.cli import main

# In the packaged app, child processes (`serve --workers N`, the xlsx reader of an import) start by running this
# executable again: freeze_support() makes such a child do its work instead of starting a second program (a no-op
# everywhere else). The guard: a child started by `python -m desktop_app` imports this module as __mp_main__.
if __name__ == "__main__":
    multiprocessing.freeze_support()
    raise SystemExit(main())
