"""`python -m central_server`: the same as `desktop-app-server`."""

from central_server.cli import main

raise SystemExit(main())
