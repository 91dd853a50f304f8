"""checker/registries/artifacts.py: which wheel of a release is inspected, what is read from it, the release it is
compared with, and the cache by sha256 (offline: from the cache, else unknown)."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from checker.model import UNKNOWN, ArtifactContents
from checker.registries.artifacts import MAX_WHEELS, Inspector, compare, merged, previous_release, wheel_tag, wheels_of
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


def test_wheel_tags_and_the_wheels_read() -> None:
    assert wheel_tag("a-1.0-py3-none-any.whl") == "py3-none-any"
    assert wheel_tag("a-1.0-1-cp312-cp312-manylinux_2_17_x86_64.whl") == "cp312-cp312-manylinux_2_17_x86_64"
    assert wheel_tag("a-1.0.tar.gz") is None
    linux, mac = "a-1.0-cp312-cp312-manylinux_2_17_x86_64.whl", "a-1.0-cp312-cp312-macosx_11_0_arm64.whl"
    # every wheel: pip on Linux installs the manylinux one, not the pure one
    assert [f.filename for f in wheels_of(files(linux, mac, "a-1.0-py3-none-any.whl", "a-1.0.tar.gz"))] == [
        "a-1.0-cp312-cp312-macosx_11_0_arm64.whl", linux, "a-1.0-py3-none-any.whl"]
    assert wheels_of(files("a-1.0.tar.gz")) == []
    # a yanked wheel is read too: pip installs it for an exact pin (PEP 592), which is what a lockfile writes
    yanked = [f._replace(yanked=True) if f.filename == mac else f for f in files(linux, mac)]
    assert [f.filename for f in wheels_of(yanked)] == [mac, linux]


def test_several_wheels_merge_into_the_union_of_what_they_install() -> None:
    pure = ArtifactContents("a-1.0-py3-none-any.whl", "https://files.example/pure", 10, files=("a/__init__.py",),
                            top_level=("a",))
    linux = ArtifactContents("a-1.0-cp312-cp312-manylinux_2_17_x86_64.whl", "https://files.example/linux", 30,
                             files=("a/__init__.py", "a/_speed.so", "evil.pth"), pth_files=("evil.pth",),
                             pth_imports=("evil.pth",), native=("a/_speed.so",), top_level=("a",), fetched=5)
    both = merged([linux, pure])
    assert (both.filename, both.url, both.size, both.fetched) == (pure.filename, pure.url, 30, 5)
    assert both.files == ("a/__init__.py", "a/_speed.so", "evil.pth") and both.pth_imports == ("evil.pth",)
    assert both.native == ("a/_speed.so",) and both.top_level == ("a",)
    assert both.wheels == (pure.filename, linux.filename)
    assert dict(both.located) == {"a/_speed.so": linux.url, "evil.pth": linux.url}
    assert merged([pure]) is pure


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


def test_pep_658_metadata_is_used_only_when_it_is_the_wheels_own(host: FakeWheelHost, tmp_path: Path) -> None:
    """The index's ``.metadata`` file spares reading the member, when its hash is the index's and its CRC-32 and size
    are the central directory's. One the index vouches for that is not the wheel's METADATA (an index serving a
    cleaner file than the wheel installs) is not believed: the member is read."""
    import hashlib
    import io
    import json
    import zipfile

    wheel = host.files["/files/litellm-1.82.8-py3-none-any.whl"]
    own = zipfile.ZipFile(io.BytesIO(wheel)).read("litellm-1.82.8.dist-info/METADATA")
    cleaner = b"Metadata-Version: 2.1\nName: litellm\nVersion: 1.82.8\n\n"

    def offer(meta: bytes) -> None:
        page = json.loads(host.files["/simple/litellm/"])
        for entry in page["files"]:
            if entry["filename"] == "litellm-1.82.8-py3-none-any.whl":
                entry["core-metadata"] = {"sha256": hashlib.sha256(meta).hexdigest()}
        host.put("/files/litellm-1.82.8-py3-none-any.whl.metadata", meta)
        host.put("/simple/litellm/", json.dumps(page).encode(), "application/vnd.pypi.simple.v1+json")

    offer(own)
    pypi, inspector = client(host, tmp_path)
    art = compare(inspector, pypi.project("litellm"), "1.82.8").artifact
    assert isinstance(art, ArtifactContents) and art.requires_dist == ("httpx>=0.23.0", "openai>=1.99.5")
    assert ("/files/litellm-1.82.8-py3-none-any.whl.metadata", None) in host.requests
    offer(cleaner)
    pypi, inspector = client(host, tmp_path / "other")
    art = compare(inspector, pypi.project("litellm"), "1.82.8").artifact
    assert isinstance(art, ArtifactContents) and art.requires_dist == ("httpx>=0.23.0", "openai>=1.99.5")
    host.put("/files/litellm-1.82.8-py3-none-any.whl.metadata", b"tampered")  # the hash no longer matches either
    pypi, inspector = client(host, tmp_path / "third")
    art = compare(inspector, pypi.project("litellm"), "1.82.8").artifact
    assert isinstance(art, ArtifactContents) and art.requires_dist == ("httpx>=0.23.0", "openai>=1.99.5")


def test_the_wheels_of_a_release_share_what_they_hold_alike(tmp_path: Path) -> None:
    """Forty wheels with the same METADATA, entry points and .pth: each member's text is read once per run; a wheel
    whose entry points differ is read on its own."""
    files = {"fast/__init__.py": "", "fast.pth": "import fast\n"}
    with FakeWheelHost() as fake:
        for index in range(40):
            extra = {"fast/_c.so": b"\x7fELF"}
            points = "[console_scripts]\nfast=fast:main\n" + ("pip=fast:evil\n" if index == 39 else "")
            fake.add_release("fast", "1.0", build_wheel("fast", "1.0", {**files, **extra}, entry_points=points),
                             tag=f"cp312-cp312-plat{index:02}")
        pypi, inspector = client(fake, tmp_path)
        found = compare(inspector, pypi.project("fast"), "1.0")
        art = found.artifact
        assert isinstance(art, ArtifactContents), found.reason
        assert art.entry_points == ("console_scripts:fast", "console_scripts:pip") and len(art.wheels) == 40
        assert art.pth_imports == ("fast.pth",)
        reads = [path for path, _ in fake.requests if path.startswith("/files/")]
    # each wheel: its end record and central directory (one or two ranges); the member texts once (+1 for the odd one)
    assert len(reads) <= 40 * 2 + 5, len(reads)


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


def test_a_pth_in_one_platform_wheel_only_is_seen(host: FakeWheelHost, tmp_path: Path) -> None:
    """pip on Linux installs the manylinux wheel, not the pure one: a .pth shipped only there is installed there. Every
    wheel is read, and the evidence names the wheel that holds it."""
    clean = {"fastlib/__init__.py": "", "fastlib/_core.py": ""}
    for version in ("1.0", "1.1"):
        host.add_release("fastlib", version, build_wheel("fastlib", version, clean, top_level=("fastlib",)))
        linux = dict(clean, **({"fastlib_init.pth": "import os; os.system('id')\n"} if version == "1.1" else {}))
        host.add_release("fastlib", version, build_wheel("fastlib", version, linux, top_level=("fastlib",)),
                         tag="cp312-cp312-manylinux_2_17_x86_64")
    pypi, inspector = client(host, tmp_path)
    found = compare(inspector, pypi.project("fastlib"), "1.1", ["1.0"])
    new, old = found.artifact, found.prior
    assert isinstance(new, ArtifactContents) and isinstance(old, ArtifactContents), found.reason
    assert new.filename == "fastlib-1.1-py3-none-any.whl"  # the one that names the release ...
    assert new.pth_imports == ("fastlib_init.pth",) and old.pth_files == ()  # ... and the linux one's .pth is seen
    assert dict(new.located)["fastlib_init.pth"].endswith("/files/fastlib-1.1-cp312-cp312-manylinux_2_17_x86_64.whl")
    assert len(new.wheels) == 2 and len(old.wheels) == 2
    from checker.rules.artifact_content import RULE
    from checker.rules.base import Subject
    from checker.model import Change, Dependency, Facts, Manifest

    dep = Dependency("pypi", "fastlib", "1.1", "==1.1", manifest="requirements.txt")
    facts = Facts("pypi", "fastlib", "1.1", exists=True, artifact=new, prior_artifact=old)
    subject = Subject(dep, Manifest("requirements.txt", "requirements", "pypi", (dep,)),
                      Change("upgraded", dep._replace(version="1.0"), dep, "minor"), facts)
    [issue] = list(RULE.check_dependency(subject, RULE.defaults()))  # type: ignore[misc]
    assert issue.level == "block" and "fastlib_init.pth" in issue.message and "import line" in issue.message


def test_more_wheels_than_lockgate_reads_is_unknown(tmp_path: Path) -> None:
    names = [f"many-1.0-cp312-cp312-plat{i:03}.whl" for i in range(MAX_WHEELS + 1)]
    assert len(wheels_of(files(*names))) == MAX_WHEELS + 1
    with FakeWheelHost() as fake:
        wheel = build_wheel("many", "1.0", {"many/__init__.py": ""})
        for index in range(MAX_WHEELS + 1):
            fake.add_release("many", "1.0", wheel, tag=f"cp312-cp312-plat{index:03}")
        pypi, inspector = client(fake, tmp_path)
        found = compare(inspector, pypi.project("many"), "1.0")
        assert found.artifact is UNKNOWN and f"reads at most {MAX_WHEELS}" in str(found.reason)
        assert not any(path.startswith("/files/") for path, _ in fake.requests)  # nothing read in vain


def test_a_pth_the_data_scheme_puts_in_site_packages_is_a_startup_pth() -> None:
    from checker.registries.artifacts import _is_startup_pth

    assert _is_startup_pth("evil.pth") and _is_startup_pth("x-1.0.data/purelib/evil.PTH")
    assert _is_startup_pth("x-1.0.data/data/lib/python3.12/site-packages/evil.pth")
    assert _is_startup_pth("x-1.0.data/data/Lib/site-packages/evil.pth")  # Windows' layout
    assert _is_startup_pth("x-1.0.data/data/lib/python3/dist-packages/evil.pth")
    assert not _is_startup_pth("x/deep/evil.pth") and not _is_startup_pth("x-1.0.data/data/share/evil.pth")
    assert not _is_startup_pth("x-1.0.data/purelib/pkg/evil.pth")
