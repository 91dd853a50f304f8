"""Screenshot a lockgate pull-request comment as a reviewer sees it, for humans (the docs' pictures, a design review).

    python tools/screenshot_comment.py --demo -o docs/images/comment-demo.png
    python tools/screenshot_comment.py comment.md -o comment.png --open     # every <details> opened

The comment is rendered as GitHub renders it: cmark-gfm (``cmarkgfm``, the test dependency that
tests/report/test_comment_html.py asserts on), styled with GitHub's own Markdown stylesheet
(tools/comment_preview/github-markdown-light.css, from the github-markdown-css package, MIT, see the LICENSE file
beside it) in a comment column 900 pixels wide, and photographed by headless Chromium (Debian's ``chromium``;
``CHROMIUM`` names another binary). Two runs: the first measures the page's height, the second takes the picture
at that height, so the image holds the whole comment and nothing below it.

Needs no network: the stylesheet is in the repository and Chromium is started with its background networking off.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
STYLESHEET = HERE / "comment_preview" / "github-markdown-light.css"
WIDTH = 900  # GitHub's comment column on a laptop screen
CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
    "--force-device-scale-factor=1",
)
_HEIGHT = re.compile(r'data-height="([0-9]+)"')


def render_html(markdown: str, *, open_details: bool = False) -> str:
    """The comment as GitHub's renderer makes it, in a page styled like a comment."""
    import cmarkgfm
    from cmarkgfm.cmark import Options

    body = cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)
    if open_details:
        body = body.replace("<details>", "<details open>")
    css = STYLESHEET.read_text(encoding="utf-8")
    return f"""<!doctype html>
<html><head><meta charset="utf-8"><title>lockgate comment</title>
<style>{css}
body {{ margin: 0; background: #ffffff; }}
.comment {{ width: {WIDTH}px; box-sizing: border-box; margin: 16px; border: 1px solid #d1d9e0;
           border-radius: 6px; }}
.comment-header {{ background: #f6f8fa; border-bottom: 1px solid #d1d9e0; padding: 8px 16px;
                  font: 14px -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif;
                  color: #59636e; border-radius: 6px 6px 0 0; }}
.markdown-body {{ padding: 16px; font-size: 14px; }}
</style></head>
<body><div class="comment"><div class="comment-header"><b>github-actions</b> bot commented</div>
<div class="markdown-body">{body}</div></div>
<script>document.body.setAttribute("data-height", String(document.documentElement.scrollHeight));</script>
</body></html>
"""


def _chromium() -> str:
    found = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser") \
        or shutil.which("google-chrome")
    if not found:
        raise SystemExit("screenshot_comment: no Chromium found (apt-get install chromium, or set CHROMIUM)")
    return found


def screenshot(page: str, output: Path) -> int:
    """Photograph ``page`` (HTML) whole into ``output`` (PNG); the height in pixels."""
    chromium = _chromium()
    with tempfile.TemporaryDirectory() as scratch:
        source = Path(scratch) / "comment.html"
        source.write_text(page, encoding="utf-8")
        profile = ["--user-data-dir=" + str(Path(scratch) / "profile")]
        dom = subprocess.run([chromium, *CHROMIUM_FLAGS, *profile, f"--window-size={WIDTH + 32},800", "--dump-dom",
                              source.as_uri()], capture_output=True, text=True, timeout=120, check=True).stdout
        match = _HEIGHT.search(dom)
        height = int(match.group(1)) + 32 if match else 4000
        subprocess.run([chromium, *CHROMIUM_FLAGS, *profile, f"--window-size={WIDTH + 32},{height}",
                        f"--screenshot={output.resolve()}", source.as_uri()], capture_output=True, timeout=120,
                       check=True)
    return height


def demo_markdown() -> str:
    """``lockgate demo --format markdown``, in process (the same code path as the command)."""
    from checker.demo.example import demo_report, render_demo

    return render_demo(demo_report(known_bad=True), "markdown")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("markdown", nargs="?", type=Path, help="a comment as lockgate wrote it (--format markdown)")
    source.add_argument("--demo", action="store_true", help="the demo's comment")
    parser.add_argument("-o", "--output", type=Path, required=True, help="the PNG to write")
    parser.add_argument("--open", action="store_true", help="open every <details> block")
    parser.add_argument("--html", type=Path, help="also keep the page as HTML here")
    args = parser.parse_args(argv)
    markdown = demo_markdown() if args.demo else args.markdown.read_text(encoding="utf-8")
    page = render_html(markdown, open_details=args.open)
    if args.html:
        args.html.write_text(page, encoding="utf-8")
    height = screenshot(page, args.output)
    print(f"{args.output}: {WIDTH} px wide, {height} px high ({len(markdown.encode())} bytes of Markdown)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
