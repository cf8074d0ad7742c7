"""Signals other domains listen to (blinker): they never import the accounts views."""

from blinker import Namespace

_signals = Namespace()

# Sent with `user=<User>` just before the account is deleted, inside the same transaction:
# receivers anonymise what must stay (content keeps its organisation, loses the author's name)
# and remove what must not (queued emails). Receivers flush, never commit.
user_deleted = _signals.signal("user-deleted")
