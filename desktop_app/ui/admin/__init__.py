"""The administrator's pages: users, settings, enrolment."""
