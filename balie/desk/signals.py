"""What the desk announces to the apps built on top of it. The desk imports none of them: they connect receivers in
their AppConfig.ready(), so dependencies point one way (walkin and insight depend on the desk, never the reverse).
"""

from __future__ import annotations

from django.dispatch import Signal

# The desk page saved a visit (sent after its transaction). Keyword arguments: visit, created, and ticket: the
# walk-in ticket id that came along with the form ("" when none). A receiver that handled the ticket returns the
# URL the staff member goes back to (the queue); the desk page redirects there instead of to an empty form.
# aanmelding: the id of the announcement (announcements app) the registration was started from ("" when none).
visit_registered = Signal()

# An import of registrations committed. Keyword argument: count (questions created). Its rollup facts are already in
# the journal; a receiver may fold them now, in the worker, so the next dashboard view does not wait for that.
registrations_imported = Signal()
