"""Helpers for tests that look at OBS directly, past the adapter."""

from __future__ import annotations

import base64
import io
import time
from dataclasses import dataclass

import obsws_python
from PIL import Image, ImageStat

from studio.obs.redact import install_log_filter, remember_secret
from tests.obs.obs_process import ObsProcess

# OBS colours are 0xAABBGGRR.
BLUE, YELLOW = 0xFFFF0000, 0xFF00FFFF
RED_RGB, BLUE_RGB, YELLOW_RGB = (255, 0, 0), (0, 0, 255), (255, 255, 0)
OVERLAY_AT, OVERLAY_SIZE = (40, 40), (200, 120)
OVERLAY_MIDDLE = (OVERLAY_AT[0] + OVERLAY_SIZE[0] // 2, OVERLAY_AT[1] + OVERLAY_SIZE[1] // 2)


@dataclass(frozen=True)
class Show:
    """Two scenes made for the tests: A is blue; B is yellow with a hidden red overlay."""

    a: str = "Test A"
    b: str = "Test B"
    overlay: str = "Test lower third"
    image: str = ""


def raw_client(obs: ObsProcess) -> obsws_python.ReqClient:
    """obsws-python itself, for test set-up and checks that bypass the adapter."""
    install_log_filter()  # obsws-python logs the password on connect
    remember_secret(obs.password)
    return obsws_python.ReqClient(host=obs.host, port=obs.port, password=obs.password, timeout=5)


def screenshot(client: obsws_python.ReqClient, source: str, size: tuple[int, int]) -> Image.Image:
    shot = client.get_source_screenshot(source, "png", size[0], size[1], -1)
    png = base64.b64decode(shot.image_data.split(",", 1)[1])
    return Image.open(io.BytesIO(png)).convert("RGB")


def near(pixel: tuple[int, ...], expected: tuple[int, int, int], tolerance: int = 40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, expected))


def wait_for_pixel(
    client: obsws_python.ReqClient,
    source: str,
    size: tuple[int, int],
    at: tuple[int, int],
    expected: tuple[int, int, int],
    timeout: float = 3.0,
) -> tuple[int, ...]:
    """The pixel once it shows `expected`, or the last one seen: image sources load
    their file off the graphics thread, a frame or more after the request."""
    deadline = time.monotonic() + timeout
    while True:
        pixel = rgb(screenshot(client, source, size), at)
        if near(pixel, expected) or time.monotonic() > deadline:
            return pixel
        time.sleep(0.05)


def rgb(picture: Image.Image, at: tuple[int, int]) -> tuple[int, ...]:
    pixel = picture.getpixel(at)
    assert isinstance(pixel, tuple)
    return pixel


def mean_luma(picture: Image.Image) -> float:
    """Mean luma 0..255 of a screenshot: a black programme is near 0."""
    return float(ImageStat.Stat(picture.convert("L")).mean[0])


def programme(client: obsws_python.ReqClient, size: tuple[int, int]) -> Image.Image:
    """What viewers see now: a screenshot of the programme scene at the canvas size."""
    scene = client.get_current_program_scene().current_program_scene_name
    return screenshot(client, scene, size)
