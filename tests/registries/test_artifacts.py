"""checker/registries/artifacts.py: which wheel of a release is inspected, what is read from it, the release it is
compared with, and the cache by sha256 (offline: from the cache, else unknown)."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from checker.model import UNKNOWN, ArtifactContents
from checker.registries.artifacts import Inspector, choose, compare, previous_release, wheel_tag
from checker.registries.cache import Cache
from checker.registries.fetch import Fetcher
from checker.registries.http import HttpClient
from checker.registries.pypi import PypiClient
from checker.registries.types import FileFacts
from tests.fakes.wheels import FakeWheelHost, build_wheel, litellm_wheel


@pytest.fixture
def host() -> Iterator[FakeWheelHost]:
    with FakeWheelHost() as fake:
        fake.add_release("litellm", "1.82.6", litellm_wheel("1.82.6"))
        fake.add_release("litellm", "1.82.7", litellm_wheel("1.82.7"))
        fake.add_release("litellm", "1.82.8", litellm_wheel("1.82.8"))
        yield fake


def client(host: FakeWheelHost, tmp_path: Path, *, offline: bool = False) -> tuple[PypiClient, Inspector]:
    http = None if offline else HttpClient(proxies={}, sleep=lambda s: None, timeout=2.0, retries=0)
    fetcher = Fetcher(http, Cache(tmp_path / "cache"), offline=offline)
    return PypiClient(fetcher, f"{host.root}/simple"), Inspector(fetcher)


def files(*names: str) -> list[FileFacts]:
    return [FileFacts(name, f"https://files.example/{name}", frozenset()) for name in names]


def test_wheel_tags_and_the_choice_of_wheel() -> None:
    assert wheel_tag("a-1.0-py3-none-any.whl") == "py3-none-any"
    assert wheel_tag("a-1.0-1-cp312-cp312-manylinux_2_17_x86_64.whl") == "cp312-cp312-manylinux_2_17_x86_64"
    assert wheel_tag("a-1.0.tar.gz") is None
    linux, mac = "a-1.0-cp312-cp312-manylinux_2_17_x86_64.whl", "a-1.0-cp312-cp312-macosx_11_0_arm64.whl"
    assert choose(files(linux, mac, "a-1.0-py3-none-any.whl")).filename == "a-1.0-py3-none-any.whl"
    assert choose(files(linux, mac), "cp312-cp312-manylinux_2_17_x86_64").filename == linux
    assert choose(files(linux, mac)).filename == mac  # the first by name, for both versions alike
    assert choose(files("a-1.0.tar.gz")) is None


def test_the_previous_release() -> None:
    assert previous_release(["1.82.6", "1.82.7", "1.82.8", "1.83.0rc1"], "1.82.8") == "1.82.7"
    assert previous_release(["1.0", "2.0b1"], "2.0") == "1.0"
    assert previous_release(["1.0", "2.0a1"], "2.0b1") == "2.0a1"
    assert previous_release(["1.0"], "1.0") is None


def test_litellm_1_82_8_against_1_82_6(host: FakeWheelHost, tmp_path: Path) -> None:
    pypi, inspector = client(host, tmp_path)
    found = compare(inspector, pypi.project("litellm"), "1.82.8", ["1.82.6"])
    assert found.reason is None
    new, old = found.artifact, found.prior
    assert isinstance(new, ArtifactContents) and isinstance(old, ArtifactContents)
    assert (new.version, old.version) == ("1.82.8", "1.82.6")
    assert new.pth_files == new.pth_imports == ("litellm_init.pth",)
    assert old.pth_files == ()
    assert new.entry_points == ("console_scripts:litellm", "console_scripts:litellm-proxy")
    assert new.requires_dist == ("httpx>=0.23.0", "openai>=1.99.5")
    assert new.emails == ("hello@berri.ai",)
    assert new.urls == ("https://github.com/BerriAI/litellm", "https://litellm.ai")
    assert new.top_level is None and new.native == () and new.unsafe_names == ()
    assert 0 < new.fetched < new.size + 1024


def test_an_added_dependency_is_compared_with_the_release_before_it(host: FakeWheelHost, tmp_path: Path) -> None:
    pypi, inspector = client(host, tmp_path)
    found = compare(inspector, pypi.project("litellm"), "1.82.8")
    assert isinstance(found.prior, ArtifactContents) and found.prior.version == "1.82.7"
    first = compare(inspector, pypi.project("litellm"), "1.82.6")
    assert first.prior is None and isinstance(first.artifact, ArtifactContents)


def test_a_release_with_only_an_sdist(host: FakeWheelHost, tmp_path: Path) -> None:
    host.add_release("litellm", "1.82.9", None, sdist=True)
    pypi, inspector = client(host, tmp_path)
    found = compare(inspector, pypi.project("litellm"), "1.82.9", ["1.82.8"])
    assert isinstance(found.artifact, ArtifactContents) and found.artifact.kind == "sdist"
    assert isinstance(found.prior, ArtifactContents) and found.prior.kind == "wheel"


def test_cached_by_hash_and_read_offline(host: FakeWheelHost, tmp_path: Path) -> None:
    pypi, inspector = client(host, tmp_path)
    compare(inspector, pypi.project("litellm"), "1.82.8", ["1.82.6"])
    asked = len(host.requests)
    again = compare(inspector, pypi.project("litellm"), "1.82.8", ["1.82.6"])
    assert len(host.requests) == asked  # the page from the Fetcher's memo, the wheels from the cache
    assert isinstance(again.artifact, ArtifactContents) and again.artifact.fetched == 0
    assert again.artifact.pth_imports == ("litellm_init.pth",)
    pypi, inspector = client(host, tmp_path, offline=True)
    offline = compare(inspector, pypi.project("litellm"), "1.82.8", ["1.82.6"])
    assert offline.reason is None and isinstance(offline.artifact, ArtifactContents)
    unseen = compare(inspector, pypi.project("litellm"), "1.82.7", ["1.82.6"])
    assert unseen.artifact is UNKNOWN and "offline, not cached" in str(unseen.reason)


def test_a_broken_wheel_is_unknown_with_its_reason(host: FakeWheelHost, tmp_path: Path) -> None:
    host.put("/files/litellm-1.82.8-py3-none-any.whl", b"<html>not a zip</html>")
    pypi, inspector = client(host, tmp_path)
    found = compare(inspector, pypi.project("litellm"), "1.82.8", ["1.82.6"])
    assert found.artifact is UNKNOWN
    assert "litellm-1.82.8-py3-none-any.whl" in str(found.reason) and "end of central directory" in str(found.reason)


def test_unsafe_names_native_files_top_level_and_pth_in_data(host: FakeWheelHost, tmp_path: Path) -> None:
    wheel = build_wheel("demo", "2.0", {"demo/__init__.py": "", "demo/_speedups.cpython-312-x86_64-linux-gnu.so": b"\x7fELF",
                                        "demo-2.0.data/purelib/zz.pth": "import demo\n",
                                        "demo-2.0.data/scripts/run": "#!/bin/sh\n", "demo/deep/x.pth": "import y\n"},
                        top_level=("demo",))
    host.add_release("demo", "2.0", wheel)
    pypi, inspector = client(host, tmp_path)
    found = compare(inspector, pypi.project("demo"), "2.0")
    art = found.artifact
    assert isinstance(art, ArtifactContents), found.reason
    assert art.pth_files == art.pth_imports == ("demo-2.0.data/purelib/zz.pth",)  # demo/deep/x.pth is never read
    assert art.native == ("demo/_speedups.cpython-312-x86_64-linux-gnu.so", "demo-2.0.data/scripts/run")
    assert art.top_level == ("demo",)


def test_pep_658_metadata_is_used_when_offered_and_checked(host: FakeWheelHost, tmp_path: Path) -> None:
    import hashlib
    import json

    page = json.loads(host.files["/simple/litellm/"])
    meta = b"Metadata-Version: 2.1\nName: litellm\nVersion: 1.82.8\nRequires-Dist: evil-helper\n\n"
    for entry in page["files"]:
        if entry["filename"] == "litellm-1.82.8-py3-none-any.whl":
            entry["core-metadata"] = {"sha256": hashlib.sha256(meta).hexdigest()}
            host.put("/files/litellm-1.82.8-py3-none-any.whl.metadata", meta)
    host.put("/simple/litellm/", json.dumps(page).encode(), "application/vnd.pypi.simple.v1+json")
    pypi, inspector = client(host, tmp_path)
    art = compare(inspector, pypi.project("litellm"), "1.82.8").artifact
    assert isinstance(art, ArtifactContents) and art.requires_dist == ("evil-helper",)
    host.put("/files/litellm-1.82.8-py3-none-any.whl.metadata", b"tampered")  # the hash no longer matches
    pypi, inspector = client(host, tmp_path / "other")
    art = compare(inspector, pypi.project("litellm"), "1.82.8").artifact
    assert isinstance(art, ArtifactContents) and art.requires_dist == ("httpx>=0.23.0", "openai>=1.99.5")


def test_only_where_the_project_lives_counts_as_its_urls() -> None:
    """pytest 8.3.4 -> 8.3.5 (real METADATA headers): documentation and sponsor links came and a Twitter link went;
    the home page and the repository stayed. Only a moved home page, download or source repository is a signal."""
    from email.parser import Parser

    from checker.registries.artifacts import _urls

    def urls(*project_urls: str, home: str = "") -> tuple[str, ...]:
        text = (f"Home-page: {home}\n" if home else "") + "".join(f"Project-URL: {u}\n" for u in project_urls)
        return _urls(Parser().parsestr(text))

    before = urls("Changelog, https://docs.pytest.org/en/stable/changelog.html", "Twitter, https://twitter.com/pytestdotorg",
                  "Source, https://github.com/pytest-dev/pytest", "Tracker, https://github.com/pytest-dev/pytest/issues",
                  home="https://docs.pytest.org/en/latest/")
    after = urls("Changelog, https://docs.pytest.org/en/stable/changelog.html",
                 "Contact, https://docs.pytest.org/en/stable/contact.html",
                 "Funding, https://docs.pytest.org/en/stable/sponsor.html",
                 "Source, https://github.com/pytest-dev/pytest", "Tracker, https://github.com/pytest-dev/pytest/issues",
                 home="https://docs.pytest.org/en/latest/")
    assert before == after == ("https://docs.pytest.org/en/latest/", "https://github.com/pytest-dev/pytest")
    assert urls("Source Code, https://github.com/evil/fork") == ("https://github.com/evil/fork",)  # PEP 753 label
    assert urls("source-code, https://github.com/evil/fork") == ("https://github.com/evil/fork",)
