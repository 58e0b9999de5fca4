"""ObsAdapter against a real, headless OBS Studio."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PIL import Image

from studio.obs import ObsAdapter, ObsError, ObsWanted
from studio.obs.protocol import request, set_item_enabled, set_program_scene
from tests.obs.obs_checks import (
    OVERLAY_MIDDLE,
    RED_RGB,
    YELLOW_RGB,
    Show,
    near,
    raw_client,
    rgb,
    screenshot,
    wait_for_pixel,
)
from tests.obs.obs_process import ObsProcess, free_port

GREEN_RGB = (0, 255, 0)

pytestmark = [pytest.mark.obs, pytest.mark.xdist_group("obs")]


def test_connect_reports_versions(adapter: ObsAdapter) -> None:
    versions = adapter.versions()
    assert versions.obs and versions.websocket.startswith("5.")
    assert versions.rpc == 1


def test_set_program_scene(adapter: ObsAdapter, show: Show) -> None:
    adapter.set_program_scene(show.a)
    assert adapter.program_scene() == show.a
    adapter.set_program_scene(show.b)
    assert adapter.program_scene() == show.b


def test_preview_scene_in_studio_mode(adapter: ObsAdapter, show: Show) -> None:
    adapter.set_studio_mode(True)
    try:
        adapter.set_preview_scene(show.a)
        assert adapter.preview_scene() == show.a
    finally:
        adapter.set_studio_mode(False)
    assert adapter.preview_scene() is None


def test_apply_switches_scene_and_shows_overlay_on_one_frame(
    adapter: ObsAdapter, show: Show, obs: ObsProcess
) -> None:
    adapter.set_program_scene(show.a)
    adapter.show_source(show.b, show.overlay, False)
    item = adapter.scene_item_id(show.b, show.overlay)

    results = adapter.apply([set_program_scene(show.b), set_item_enabled(show.b, item, True)])

    assert [r["requestType"] for r in results] == ["SetCurrentProgramScene", "SetSceneItemEnabled"]
    with raw_client(obs) as client:
        assert client.get_current_program_scene().current_program_scene_name == show.b
        assert client.get_scene_item_enabled(show.b, item).scene_item_enabled is True
        overlay = wait_for_pixel(client, show.b, obs.size, OVERLAY_MIDDLE, RED_RGB)
        picture = screenshot(client, show.b, obs.size)
    assert near(overlay, RED_RGB)
    assert near(rgb(picture, (obs.size[0] - 20, obs.size[1] - 20)), YELLOW_RGB)


def test_apply_names_the_failed_request_and_stops_there(adapter: ObsAdapter, show: Show) -> None:
    adapter.set_program_scene(show.a)
    with pytest.raises(ObsError) as caught:
        adapter.apply([set_program_scene("No such scene"), set_program_scene(show.b)])
    assert caught.value.failure == "request"
    assert "SetCurrentProgramScene" in str(caught.value)
    assert "1 after it were not run" in str(caught.value)
    assert adapter.program_scene() == show.a  # halted: the second request never ran
    assert adapter.connected


def test_show_source_hides_the_overlay(adapter: ObsAdapter, show: Show, obs: ObsProcess) -> None:
    adapter.show_source(show.b, show.overlay, True)
    adapter.show_source(show.b, show.overlay, False)
    with raw_client(obs) as client:
        pixel = wait_for_pixel(client, show.b, obs.size, OVERLAY_MIDDLE, YELLOW_RGB)
    assert near(pixel, YELLOW_RGB)


def test_reassert_sends_only_what_differs(adapter: ObsAdapter, show: Show) -> None:
    adapter.set_program_scene(show.a)
    adapter.show_source(show.b, show.overlay, False)
    wanted = ObsWanted(show.b, frozenset({(show.b, show.overlay)}))

    assert adapter.reassert(wanted) == 2
    assert adapter.program_scene() == show.b
    assert adapter.read_actual(wanted).items[(show.b, show.overlay)].enabled
    assert adapter.reassert(wanted) == 0

    hidden = ObsWanted(show.b, managed=frozenset({(show.b, show.overlay)}))
    assert adapter.reassert(hidden) == 1
    assert not adapter.read_actual(hidden).items[(show.b, show.overlay)].enabled


def test_read_actual_names_what_obs_lacks(adapter: ObsAdapter, show: Show) -> None:
    wanted = ObsWanted(
        show.a, frozenset({(show.a, "No such source")}), {"No such input": "udp://x"}
    )
    actual = adapter.read_actual(wanted)
    assert actual.items == {} and actual.feeds == {}
    assert any("No such source" in m for m in actual.missing)
    assert any("No such input" in m for m in actual.missing)


def test_set_image_and_set_feed(
    adapter: ObsAdapter, show: Show, obs: ObsProcess, tmp_path: Path
) -> None:
    green = tmp_path / "green.png"
    Image.new("RGBA", (200, 120), (*GREEN_RGB, 255)).save(green)
    with raw_client(obs) as client:
        if "Test feed" not in {i["inputName"] for i in client.get_input_list().inputs}:
            client.create_input(show.a, "Test feed", "ffmpeg_source", {}, False)
    url = f"udp://127.0.0.1:{free_port()}"  # nothing sends there: OBS just waits
    try:
        adapter.set_image(show.overlay, green)
        adapter.set_feed("Test feed", url)
        wanted = ObsWanted(None, feeds={"Test feed": url})
        assert adapter.read_actual(wanted).feeds == {"Test feed": url}
        assert adapter.reassert(wanted) == 0
        adapter.show_source(show.b, show.overlay, True)
        with raw_client(obs) as client:
            pixel = wait_for_pixel(client, show.b, obs.size, OVERLAY_MIDDLE, GREEN_RGB)
        assert near(pixel, GREEN_RGB)
    finally:
        adapter.set_image(show.overlay, show.image)
        adapter.show_source(show.b, show.overlay, False)


def test_status_and_recording(adapter: ObsAdapter, show: Show) -> None:
    adapter.set_program_scene(show.a)
    idle = adapter.status()
    assert not idle.streaming and not idle.recording
    assert idle.render_total_frames > 0 and idle.cpu_percent >= 0
    adapter.start_record()
    try:
        deadline = time.monotonic() + 10
        while not adapter.status().recording and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1)
        busy = adapter.status()
        assert busy.recording
        assert busy.active_fps > 0
    finally:
        path = adapter.stop_record()
    assert path and Path(path).exists()


def test_verbs_after_close_raise_a_clear_error(obs: ObsProcess) -> None:
    adapter = ObsAdapter(obs.settings())
    with pytest.raises(ObsError) as caught:
        adapter.program_scene()
    assert caught.value.failure == "disconnected"
    assert "not connected" in str(caught.value)


def test_apply_returns_response_data(adapter: ObsAdapter) -> None:
    results = adapter.apply([request("GetVersion")])
    assert results[0]["responseData"]["rpcVersion"] == 1
