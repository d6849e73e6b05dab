"""Running the workstation: sync with the central server and backups."""
