"""`python -m desktop_app`, and the entry point of the packaged app (packaging/desktop_app.spec)."""

import multiprocessing

from desktop_app.cli import main

# In the packaged app, `desktop-app serve --workers N` starts its workers by running this executable again:
# freeze_support() makes such a child a worker instead of a second program (a no-op everywhere else).
multiprocessing.freeze_support()
raise SystemExit(main())
