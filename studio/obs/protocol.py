"""obs-websocket 5 request dicts, as they go into a request batch (op 8)."""

from __future__ import annotations

from typing import Any

Request = dict[str, Any]

# RequestBatchExecutionType: SerialFrame runs the whole batch inside one graphics
# tick (up to a Sleep), so a scene switch and an overlay change land on the same frame.
SERIAL_REALTIME = 0
SERIAL_FRAME = 1

# RequestStatus codes that the adapter treats as an answer, not a failure.
STUDIO_MODE_NOT_ACTIVE = 506


def request(request_type: str, **data: Any) -> Request:
    return (
        {"requestType": request_type, "requestData": data}
        if data
        else {"requestType": request_type}
    )


def sleep_frames(frames: int) -> Request:
    """In a SerialFrame batch, run the requests after it ``frames`` frames later. Without it the
    whole batch runs in one tick's callback, before the sources' own tick (where an image source
    loads a new file): a picture would be shown before its file is loaded."""
    return request("Sleep", sleepFrames=frames)


def set_program_scene(scene: str) -> Request:
    return request("SetCurrentProgramScene", sceneName=scene)


def set_item_enabled(scene: str, item_id: int, enabled: bool) -> Request:
    return request(
        "SetSceneItemEnabled", sceneName=scene, sceneItemId=item_id, sceneItemEnabled=enabled
    )


def set_feed(input_name: str, url: str) -> Request:
    # ffmpeg_source: is_local_file defaults to true and must be off for a URL.
    return request(
        "SetInputSettings",
        inputName=input_name,
        inputSettings={"input": url, "is_local_file": False},
        overlay=True,
    )


def feed_url(input_settings: dict[str, Any]) -> str | None:
    """The URL an ffmpeg_source plays, or None when it plays a local file or nothing.

    GetInputSettings returns only settings that differ from the defaults.
    """
    if input_settings.get("is_local_file", True):
        return None
    return input_settings.get("input") or None


def set_image(input_name: str, path: str) -> Request:
    return request(
        "SetInputSettings", inputName=input_name, inputSettings={"file": path}, overlay=True
    )


def set_item_place(scene: str, item_id: int, place: tuple[float, float, float]) -> Request:
    """Position (top left) and uniform scale of a scene item."""
    x, y, scale = place
    transform = {"positionX": x, "positionY": y, "scaleX": scale, "scaleY": scale, "alignment": 5}
    return request("SetSceneItemTransform", sceneName=scene, sceneItemId=item_id, sceneItemTransform=transform)


def item_place(transform: dict[str, Any]) -> tuple[float, float, float]:
    return (float(transform.get("positionX", 0.0)), float(transform.get("positionY", 0.0)),
            float(transform.get("scaleX", 1.0)))
