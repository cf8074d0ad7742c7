"""Signals for what happens to content; search indexing and activity events listen to them.

Each is sent by a service after it has flushed the change, inside the same transaction, so a
receiver that records a row (an index change, an event) commits or rolls back with it.
"""

from blinker import Namespace

_signals = Namespace()

content_published = _signals.signal("content-published")  # sender: Project/Practice; user=
content_unpublished = _signals.signal("content-unpublished")  # user=, reason=
content_changed = _signals.signal("content-changed")  # any saved edit; user=
content_deleted = _signals.signal("content-deleted")  # kind=, id=, user=
project_status_changed = _signals.signal("project-status-changed")  # old=, new=, user=
project_update_posted = _signals.signal("project-update-posted")  # update=, user=
indicator_value_recorded = _signals.signal("indicator-value-recorded")  # indicator=, user=
practice_reused = _signals.signal("practice-reused")  # organisation=, user=
