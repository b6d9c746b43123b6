"""The client's network layer: the only place on the client side that speaks HTTP to the backend.

It knows the API, not the screens (no pygame here). Blocking calls run on worker threads; every result
comes back through a callback the caller gives, `deliver(tag, result_or_exception)`.
"""

from expo_hall.net.client import ApiClient, Download, RetryPolicy
from expo_hall.net.errors import ApiError, BadResponse, Busy, Conflict, NetError, Offline
from expo_hall.net.expo_source import LaterLogos, fetch_expo, open_expo
from expo_hall.net.media import CachedFile, MediaCache
from expo_hall.net.network import Network
from expo_hall.net.outbox import OUTBOX, MessageFailed, MessageSent, Outbox, PendingMessage
from expo_hall.net.status import STATUS, ConnectionStatus, StatusMonitor
from expo_hall.net.worker import Deliver, LongPoller, Worker

__all__ = [
    "OUTBOX", "STATUS", "ApiClient", "ApiError", "BadResponse", "Busy", "CachedFile", "Conflict", "ConnectionStatus",
    "Deliver", "Download", "LongPoller", "MediaCache", "MessageFailed", "MessageSent", "NetError", "Network",
    "LaterLogos", "Offline", "Outbox", "PendingMessage", "RetryPolicy", "StatusMonitor", "Worker", "fetch_expo",
    "open_expo",
]
