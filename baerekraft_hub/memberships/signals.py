"""Signals other domains listen to (blinker): they never import the memberships views."""

from blinker import Namespace

_signals = Namespace()

# Sent by the members pages after an answer or a change, in the request's transaction, with
# the Organisation as sender, `action` ("approve", "decline", "change_role", "remove"), `by`
# (who did it), `membership_id` and `user_id` (ids: a removed membership is gone). The
# console writes the coordinator's ones in the audit log.
membership_managed = _signals.signal("membership-managed")
