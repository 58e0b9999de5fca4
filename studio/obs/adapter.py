"""ObsAdapter: the few verbs the show needs from OBS, over obsws-python.

Synchronous and thread-safe: call it from worker threads, never from Textual's
event loop. Every failure the operator can meet comes out as an ObsError.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import obsws_python
from obsws_python.error import OBSSDKError, OBSSDKTimeoutError
from websocket import WebSocketException, WebSocketTimeoutException

from studio.obs import errors, protocol
from studio.obs.batch import run_batch
from studio.obs.errors import ObsError, ObsMsg
from studio.obs.protocol import SERIAL_FRAME, SERIAL_REALTIME, Request
from studio.obs.redact import install_log_filter, remember_secret
from studio.obs.state import Item, ObsActual, ObsWanted, SceneItem, diff
from studio.show.health import ObsStatus

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ObsSettings:
    """Where OBS listens. The password is read from the env var named here, at connect."""

    host: str = "127.0.0.1"
    port: int = 4455
    password_env: str = "OBS_PASSWORD"
    timeout: float = 5.0


@dataclass(frozen=True)
class ObsVersions:
    obs: str
    websocket: str
    rpc: int


class ObsAdapter:
    def __init__(self, settings: ObsSettings) -> None:
        self.settings = settings
        # One exchange at a time on the socket; re-entrant so reassert can hold it
        # across read and apply while the verbs it calls take it again.
        self._lock = threading.RLock()
        self._client: obsws_python.ReqClient | None = None
        self._item_ids: dict[Item, int] = {}
        self.last_error: ObsError | None = None

    def __repr__(self) -> str:
        s = self.settings
        state = "connected" if self.connected else "not connected"
        return f"ObsAdapter({s.host}:{s.port}, password from ${s.password_env}, {state})"

    @property
    def connected(self) -> bool:
        return self._client is not None

    # -- connection -------------------------------------------------------------

    def connect(self) -> ObsVersions:
        s = self.settings
        install_log_filter()
        password = os.environ.get(s.password_env, "")
        remember_secret(password)
        with self._lock:
            self._drop()
            try:
                # Always explicit: given none of host/port/password, obsws-python
                # reads connection settings from a config.toml in the cwd or HOME.
                client = obsws_python.ReqClient(
                    host=s.host, port=s.port, password=password, timeout=s.timeout
                )
            except ConnectionRefusedError as e:
                raise self._failed(
                    errors.refused(s.host, s.port, e.strerror or "refused")
                ) from None
            except (TimeoutError, WebSocketTimeoutException, OBSSDKTimeoutError):
                raise self._failed(
                    errors.timed_out(s.host, s.port, s.timeout, ObsMsg("obs.error.doing.login"))
                ) from None
            except OBSSDKError as e:
                empty = "no password provided" in str(e)
                raise self._failed(
                    errors.auth_failed(s.host, s.port, s.password_env, empty=empty)
                ) from None
            except (WebSocketException, ValueError) as e:
                raise self._failed(
                    ObsError(
                        "protocol",
                        ObsMsg("obs.error.not_websocket", host=s.host, port=s.port, detail=type(e).__name__),
                    )
                ) from None
            except OSError as e:
                raise self._failed(errors.refused(s.host, s.port, e.strerror or str(e))) from None
            # ReqClient's repr prints the password; nothing needs it after the login.
            client.base_client.password = ""
            self._client = client
            self.last_error = None
            return self.versions()

    def close(self) -> None:
        with self._lock:
            client, self._client = self._client, None
            self._item_ids.clear()
            if client is not None:
                try:
                    client.base_client.ws.close(timeout=0.5)
                except (OSError, WebSocketException):
                    pass

    def probe(self) -> None:
        """A cheap round trip: raises ObsError (and drops the link) when OBS is gone."""
        self.call("GetStudioModeEnabled")  # GetVersion's answer is ~5 KB; this one is tiny

    # -- verbs ------------------------------------------------------------------

    def versions(self) -> ObsVersions:
        d = self.call("GetVersion")
        return ObsVersions(d["obsVersion"], d["obsWebSocketVersion"], int(d["rpcVersion"]))

    def canvas(self) -> tuple[int, int]:
        """OBS's canvas (Settings > Video > Base Resolution): the size graphics are drawn and placed for."""
        video = self.call("GetVideoSettings")
        return int(video["baseWidth"]), int(video["baseHeight"])

    def program_scene(self) -> str:
        return str(self.call("GetCurrentProgramScene")["currentProgramSceneName"])

    def set_program_scene(self, name: str) -> None:
        self._send(protocol.set_program_scene(name))

    def set_studio_mode(self, enabled: bool) -> None:
        self.call("SetStudioModeEnabled", studioModeEnabled=enabled)
        self._wait_until(
            lambda: self.call("GetStudioModeEnabled")["studioModeEnabled"] == enabled,
            ObsMsg("obs.error.doing.studio_mode"),
        )

    def preview_scene(self) -> str | None:
        """The preview scene, or None when studio mode is off."""
        try:
            return str(self.call("GetCurrentPreviewScene")["currentPreviewSceneName"])
        except ObsError as e:
            if e.request_code == protocol.STUDIO_MODE_NOT_ACTIVE:
                return None
            raise

    def set_preview_scene(self, name: str) -> None:
        self.call("SetCurrentPreviewScene", sceneName=name)
        self._wait_until(lambda: self.preview_scene() == name, ObsMsg("obs.error.doing.preview_scene"))

    def set_feed(self, input_name: str, url: str) -> None:
        self._send(protocol.set_feed(input_name, url))

    def set_image(self, input_name: str, path: str | Path) -> None:
        self._send(protocol.set_image(input_name, str(Path(path).resolve())))

    def show_source(self, scene: str, source: str, visible: bool) -> None:
        self._send(protocol.set_item_enabled(scene, self.scene_item_id(scene, source), visible))

    def scene_item_id(self, scene: str, source: str) -> int:
        with self._lock:
            if (scene, source) not in self._item_ids:
                d = self.call("GetSceneItemId", sceneName=scene, sourceName=source)
                self._item_ids[(scene, source)] = int(d["sceneItemId"])
            return self._item_ids[(scene, source)]

    def set_stream_service(self, server: str, key: str) -> None:
        """Point OBS's stream output at a custom RTMP ingest; the key is masked in every OBS log and error."""
        remember_secret(key)
        self.call(
            "SetStreamServiceSettings",
            streamServiceType="rtmp_custom",
            streamServiceSettings={"server": server, "key": key, "use_auth": False},
        )

    def stream_service(self) -> tuple[str, str]:
        """(server, key) OBS streams to; the key is a secret for the caller to compare, never to show."""
        settings = self.call("GetStreamServiceSettings").get("streamServiceSettings") or {}
        return str(settings.get("server", "")), str(settings.get("key", ""))

    def streaming(self) -> bool:
        return bool(self.call("GetStreamStatus")["outputActive"])

    def start_stream(self) -> None:
        self.call("StartStream")

    def stop_stream(self) -> None:
        self.call("StopStream")

    def start_record(self) -> None:
        self.call("StartRecord")

    def stop_record(self) -> str | None:
        """Stops recording; returns the file written, when OBS says."""
        return self.call("StopRecord").get("outputPath")

    def status(self) -> ObsStatus:
        # SerialRealtime: three reads in one round trip, without waiting for a frame.
        stats, stream, record = (
            r.get("responseData", {})
            for r in self._batch(
                [protocol.request(t) for t in ("GetStats", "GetStreamStatus", "GetRecordStatus")],
                execution_type=SERIAL_REALTIME,
            )
        )
        return ObsStatus(
            streaming=bool(stream["outputActive"]),
            stream_reconnecting=bool(stream["outputReconnecting"]),
            stream_congestion=float(stream["outputCongestion"]),
            stream_dropped_frames=int(stream["outputSkippedFrames"]),
            stream_total_frames=int(stream["outputTotalFrames"]),
            recording=bool(record["outputActive"]),
            recording_paused=bool(record.get("outputPaused", False)),
            render_skipped_frames=int(stats["renderSkippedFrames"]),
            render_total_frames=int(stats["renderTotalFrames"]),
            encoder_skipped_frames=int(stats["outputSkippedFrames"]),
            encoder_total_frames=int(stats["outputTotalFrames"]),
            active_fps=float(stats["activeFps"]),
            cpu_percent=float(stats["cpuUsage"]),
        )

    def apply(self, requests: Sequence[Request]) -> list[dict[str, Any]]:
        """Run the requests as one batch on one frame; stop at the first failure."""
        return self._batch(requests, execution_type=SERIAL_FRAME)

    # -- wanted state -----------------------------------------------------------

    def read_actual(self, wanted: ObsWanted) -> ObsActual:
        with self._lock:
            items = sorted(wanted.managed)
            missing = self._resolve_item_ids(items)
            ids = {item: self._item_ids[item] for item in items if item in self._item_ids}
            feeds = sorted(wanted.feeds)
            images = sorted(wanted.image_inputs)
            placed = [item for item in sorted(wanted.placed) if item in ids]
            reads = [protocol.request("GetCurrentProgramScene")]
            reads += [
                protocol.request("GetSceneItemEnabled", sceneName=scene, sceneItemId=id_)
                for (scene, _), id_ in ids.items()
            ]
            reads += [protocol.request("GetInputSettings", inputName=name) for name in feeds]
            reads += [protocol.request("GetInputSettings", inputName=name) for name in images]
            reads += [
                protocol.request("GetSceneItemTransform", sceneName=scene, sceneItemId=ids[(scene, source)])
                for scene, source in placed
            ]
            results = self._batch(reads, execution_type=SERIAL_REALTIME, halt=False, check=False)
        data = [r.get("responseData", {}) if _ok(r) else None for r in results]
        item_data = data[1 : 1 + len(ids)]
        actual_items = {
            item: SceneItem(id_, bool(d["sceneItemEnabled"]))
            for (item, id_), d in zip(ids.items(), item_data)
            if d is not None
        }
        actual_feeds: dict[str, str | None] = {}
        start = 1 + len(ids)
        for name, d in zip(feeds, data[start : start + len(feeds)]):
            if d is None:
                missing.append(f"input {name!r}")
            else:
                actual_feeds[name] = protocol.feed_url(d.get("inputSettings", {}))
        start += len(feeds)
        actual_images: dict[str, str | None] = {}
        for name, d in zip(images, data[start : start + len(images)]):
            if d is None:
                missing.append(f"input {name!r}")
            else:
                actual_images[name] = d.get("inputSettings", {}).get("file")
        start += len(images)
        actual_places = {
            item: protocol.item_place(d.get("sceneItemTransform", {}))
            for item, d in zip(placed, data[start:])
            if d is not None
        }
        scene = data[0]["currentProgramSceneName"] if data and data[0] else None
        return ObsActual(scene, actual_items, actual_feeds, tuple(missing), actual_images, actual_places)

    def reassert(self, wanted: ObsWanted) -> int:
        """Make OBS match `wanted` with one batch of only what differs; return its size."""
        with self._lock:
            actual = self.read_actual(wanted)
            if actual.missing:
                log.warning("OBS lacks %s: left out of the wanted state", ", ".join(actual.missing))
            requests = diff(wanted, actual)
            self.apply(requests)
            return len(requests)

    def converge(self, wanted: ObsWanted, known: ObsActual | None) -> ObsActual:
        """Make OBS match `wanted` and return what OBS then has.

        `known` is what OBS had after studio's own last batch: when it covers
        everything wanted, a take costs one batch and no read. Without it (after a
        connect, or for items never seen) OBS is read first, as reassert() does.
        """
        with self._lock:
            if known is None or not known.covers(wanted):
                known = self.read_actual(wanted)
                if known.missing:
                    log.warning("OBS lacks %s: left out of the wanted state", ", ".join(known.missing))
            self.apply(diff(wanted, known))
            return known.after(wanted)

    # -- plumbing -----------------------------------------------------------------

    def _wait_until(self, done: Callable[[], bool], doing: str) -> None:
        """OBS 29 answers some requests (studio mode, preview scene) before its UI
        thread has carried them out; poll so the verb returns once it is true."""
        deadline = time.monotonic() + self.settings.timeout
        while not done():
            if time.monotonic() > deadline:
                s = self.settings
                raise errors.timed_out(s.host, s.port, s.timeout, doing)
            time.sleep(0.01)

    def _resolve_item_ids(self, items: Sequence[Item]) -> list[str]:
        """Look up uncached scene item ids in one batch; return what OBS lacks."""
        unknown = [item for item in items if item not in self._item_ids]
        lookups = [
            protocol.request("GetSceneItemId", sceneName=scene, sourceName=source)
            for scene, source in unknown
        ]
        results = self._batch(lookups, execution_type=SERIAL_REALTIME, halt=False, check=False)
        missing = []
        for item, result in zip(unknown, results):
            if _ok(result):
                self._item_ids[item] = int(result["responseData"]["sceneItemId"])
            else:
                missing.append(f"source {item[1]!r} in scene {item[0]!r}")
        return missing

    def _send(self, request: Request) -> dict[str, Any]:
        return self.call(request["requestType"], **request.get("requestData", {}))

    def call(self, request_type: str, **data: Any) -> dict[str, Any]:
        """One obs-websocket request, for studio.obs's own modules (setup, watchdog)."""
        with self._transport(f"{request_type}") as client:
            response = client.base_client.req(request_type, data or None)
        status = response.get("requestStatus", {})
        if not status.get("result"):
            self._item_ids.clear()  # a scene item may have been removed and re-added
            raise errors.request_failed(request_type, status.get("code"), status.get("comment"))
        return dict(response.get("responseData") or {})

    def _batch(
        self,
        requests: Sequence[Request],
        *,
        execution_type: int,
        halt: bool = True,
        check: bool = True,
    ) -> list[dict[str, Any]]:
        if not requests:  # nothing to change: no round trip, no wait for a frame
            return []
        with self._transport(ObsMsg("obs.error.doing.batch")) as client:
            try:
                return run_batch(
                    client.base_client.ws,
                    requests,
                    execution_type=execution_type,
                    halt_on_failure=halt,
                    check=check,
                )
            except ObsError as e:
                if e.failure == "request":
                    self._item_ids.clear()
                raise

    @contextmanager
    def _transport(self, doing: str) -> Iterator[obsws_python.ReqClient]:
        """Hold the lock; turn socket trouble into ObsError and drop the broken link.

        After a timeout the late answer could still arrive and be read as the answer
        to the next request, so the connection is dropped, never reused.
        """
        s = self.settings
        with self._lock:
            if self._client is None:
                last = self.last_error
                raise (
                    ObsError(last.failure, last.message)
                    if last
                    else errors.disconnected(s.host, s.port, ObsMsg("obs.error.not_connected_yet"))
                )
            try:
                yield self._client
            except ObsError:
                raise
            except (TimeoutError, WebSocketTimeoutException, OBSSDKTimeoutError):
                raise self._failed(errors.timed_out(s.host, s.port, s.timeout, doing)) from None
            except (OSError, WebSocketException, json.JSONDecodeError) as e:
                detail = ObsMsg("obs.error.closed") if isinstance(e, ValueError) else str(e)
                raise self._failed(
                    errors.disconnected(s.host, s.port, detail or type(e).__name__)
                ) from None

    def _failed(self, error: ObsError) -> ObsError:
        self._drop()
        self.last_error = error
        return error

    def _drop(self) -> None:
        client, self._client = self._client, None
        self._item_ids.clear()
        if client is not None:
            try:
                client.base_client.ws.shutdown()
            except OSError:
                pass


def _ok(result: dict[str, Any]) -> bool:
    return bool(result.get("requestStatus", {}).get("result"))
