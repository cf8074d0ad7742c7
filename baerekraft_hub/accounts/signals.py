"""Signals other domains listen to (blinker): they never import the accounts views."""

from blinker import Namespace

_signals = Namespace()

# Sent with `user=<User>` just before the account is deleted, inside the same transaction:
# receivers anonymise what must stay (content keeps its organisation, loses the author's name)
# and remove what must not (queued emails). Receivers flush, never commit.
user_deleted = _signals.signal("user-deleted")

# Sent with `user=<User>` when the user downloads their data: each receiver returns a dict of
# the sections it holds about them (`{"follows": [...]}`), plain JSON-able values.
user_data_requested = _signals.signal("user-data-requested")
