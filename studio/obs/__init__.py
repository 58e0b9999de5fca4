"""OBS Studio adapter: the few verbs the show needs, over obs-websocket 5."""

from studio.obs.adapter import ObsAdapter, ObsSettings, ObsStatus, ObsVersions
from studio.obs.errors import ObsError
from studio.obs.link import LinkEvent, ObsLink
from studio.obs.state import ObsActual, ObsWanted, SceneItem, diff

__all__ = [
    "LinkEvent",
    "ObsActual",
    "ObsAdapter",
    "ObsError",
    "ObsLink",
    "ObsSettings",
    "ObsStatus",
    "ObsVersions",
    "ObsWanted",
    "SceneItem",
    "diff",
]
