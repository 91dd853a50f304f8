"""tools/screenshot_comment.py: the page it photographs is the comment as cmark-gfm renders it, styled with GitHub's
stylesheet, needing no network; with Chromium on the machine (not in CI), the picture is the whole comment."""

from __future__ import annotations

import shutil
import struct
from pathlib import Path

import pytest

from tests.project.tools import load_tool

ROOT = Path(__file__).resolve().parents[2]


def _tool():  # type: ignore[no-untyped-def]
    return load_tool("screenshot_comment")


def test_the_page_is_the_rendered_demo_comment_with_githubs_stylesheet() -> None:
    tool = _tool()
    page = tool.render_html(tool.demo_markdown())
    assert page.count("<table>") == 3 and "<th>Why</th>" in page
    head = page.split("<body>")[0]
    assert ".markdown-body" in head  # the stylesheet is inline: nothing is fetched
    assert "<link" not in head and "@import" not in head and "url(http" not in head and "<script src" not in page
    assert "<details>" in page and "<details open>" not in page
    assert "<details open>" in tool.render_html(tool.demo_markdown(), open_details=True)
    assert (ROOT / "tools" / "comment_preview" / "LICENSE.github-markdown-css").is_file()


def test_the_docs_pictures_exist() -> None:
    for name in ("comment-demo.png", "comment-demo-open.png", "comment-300-changes.png"):
        header = (ROOT / "docs" / "images" / name).read_bytes()[:24]
        assert header[:8] == b"\x89PNG\r\n\x1a\n"
        width, _ = struct.unpack(">II", header[16:24])
        assert width == 932  # the 900-pixel comment column and its margins


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Chromium is not installed (apt-get install chromium)")
def test_a_screenshot_holds_the_whole_comment(tmp_path: Path) -> None:
    tool = _tool()
    out = tmp_path / "demo.png"
    height = tool.screenshot(tool.render_html(tool.demo_markdown()), out)
    header = out.read_bytes()[:24]
    width, png_height = struct.unpack(">II", header[16:24])
    assert (width, png_height) == (932, height) and height > 800
