"""The audit log: what coordinators did, to what, when and why (`record`)."""

from baerekraft_hub.audit.services import record

__all__ = ["record"]
