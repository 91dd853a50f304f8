"""artifact-content on hand-built Facts, through the engine: each signal at its own level, unknowns said, and the
litellm 1.82.8 .pth caught."""

from __future__ import annotations

from checker.model import UNKNOWN, ArtifactContents
from checker.rules.artifact_content import RULE, inspector_link
from tests.rules.fact_subjects import KNOWN, dep, facts, run

ON = "  artifact-content: block\n"
FILES = ("litellm/__init__.py", "litellm/main.py", "litellm-1.82.6.dist-info/METADATA", "litellm-1.82.6.dist-info/RECORD")
PYPI_URL = "https://files.pythonhosted.org/packages/79/5f/b6998d/litellm-{0}-py3-none-any.whl"


def wheel(version: str, *extra: str, **fields: object) -> ArtifactContents:
    base = dict(size=1000, files=FILES + extra, entry_points=("console_scripts:litellm",), requires_dist=("httpx",),
                urls=("https://github.com/BerriAI/litellm",), emails=("hello@berri.ai",))
    return ArtifactContents(f"litellm-{version}-py3-none-any.whl", PYPI_URL.format(version),
                            version=version, **{**base, **fields})  # type: ignore[arg-type]


def found(new: object, old: object, policy: str = ON) -> list[tuple[str, bool, str]]:
    return [(level, unknown, message) for rule, level, unknown, message in
            run(dep(), facts(**KNOWN, artifact=new, prior_artifact=old), policy) if rule == "artifact-content"]


def test_off_in_a_policy_that_extends_nothing_and_on_in_both_presets() -> None:
    from checker.policy.load import load_policy

    assert RULE.default_level == "off"
    for preset in ("default", "strict"):
        setting = load_policy(f"extends: {preset}\n", "p.yml", lambda p: None).rules["artifact-content"]
        assert (setting.level, setting.options["pth"], setting.options["manifest"]) == ("block", "block", "block")
    litellm = wheel("1.82.8", "litellm_init.pth", pth_files=("litellm_init.pth",), pth_imports=("litellm_init.pth",))
    assert found(litellm, wheel("1.82.6"), "  artifact-content: off\n") == []


def test_files_a_wheel_installs_through_its_data_folder_count_where_they_land() -> None:
    """``.data/purelib`` and ``.data/platlib`` install into site-packages like the wheel's root; ``.data/data``
    installs under the environment's prefix. A new name there is a new top-level name; the wheel's own metadata and
    the data files it already had are not."""
    known = ("litellm-1.82.8.data/data/share/litellm/schema.json",)
    new = wheel("1.82.8", "litellm-1.82.8.data/purelib/evil/__init__.py",
                "litellm-1.82.8.data/data/etc/profile.d/evil.sh", "litellm-1.82.8.data/purelib/litellm/extra.py",
                *known)
    old = wheel("1.82.6", *(k.replace("1.82.8", "1.82.6") for k in known))
    [(level, _, message)] = found(new, old)
    assert level == "warn"
    assert "(compared with 1.82.6): litellm-1.82.8.data/data/etc/profile.d/evil.sh (" in message
    assert "), litellm-1.82.8.data/purelib/evil/__init__.py (" in message
    assert "extra.py" not in message and "schema.json" not in message


def test_litellm_1_82_8_new_pth_with_an_import_line_blocks() -> None:
    litellm = wheel("1.82.8", "litellm_init.pth", pth_files=("litellm_init.pth",), pth_imports=("litellm_init.pth",))
    [(level, unknown, message)] = found(litellm, wheel("1.82.6"))
    assert (level, unknown) == ("block", False)
    link = ("https://inspector.pypi.io/project/litellm/1.82.8/packages/79/5f/b6998d/"
            "litellm-1.82.8-py3-none-any.whl/litellm_init.pth")
    assert message == (f"litellm 1.82.8 adds 1 .pth file (compared with 1.82.6): litellm_init.pth ({link}); "
                       "litellm_init.pth has an import line, executed at every Python start-up")


def test_a_pth_the_earlier_release_had_is_not_new() -> None:
    both = dict(pth_files=("distutils-precedence.pth",), pth_imports=("distutils-precedence.pth",))
    assert found(wheel("2", "distutils-precedence.pth", **both), wheel("1", "distutils-precedence.pth", **both)) == []


def test_each_signal_at_its_own_level() -> None:
    new = wheel("1.82.8", "evil/__init__.py", "litellm/_x.cpython-312-x86_64-linux-gnu.so",
                native=("litellm/_x.cpython-312-x86_64-linux-gnu.so",),
                entry_points=("console_scripts:litellm", "console_scripts:pip"), requires_dist=("httpx", "evil-helper"),
                emails=("attacker@example.com",), size=10_000)
    messages = found(new, wheel("1.82.6"))
    levels = sorted(level for level, _, _ in messages)
    assert levels == ["info", "info", "warn", "warn", "warn", "warn"], messages
    text = "\n".join(m for _, _, m in messages)
    assert "outside its package's top-level names (compared with 1.82.6): evil/__init__.py" in text
    assert "adds commands (compared with 1.82.6): console_scripts:pip" in text
    assert "declares new dependencies (compared with 1.82.6): evil-helper" in text
    assert "hello@berri.ai -> attacker@example.com" in text
    assert "10.0 times the size" in text
    quiet = ON.replace("block", "{level: block, new-top-level: off, native: off, entry-points: off, requires-dist: off, "
                                "metadata: off, size-growth: 0}")
    assert found(new, wheel("1.82.6"), quiet) == []


def test_sdist_only_after_wheels() -> None:
    sdist = ArtifactContents("litellm-1.82.9.tar.gz", "https://files.pythonhosted.org/packages/x/litellm-1.82.9.tar.gz",
                             -1, kind="sdist", version="1.82.9")
    [(level, _, message)] = found(sdist, wheel("1.82.6"))
    assert level == "warn" and "only a source distribution where 1.82.6 had a wheel" in message


def test_unsafe_member_names_always_block() -> None:
    [(level, _, message)] = found(wheel("1.82.8", "../evil.py", unsafe_names=("../evil.py",)),
                                  wheel("1.82.6"), ON.replace("block", "{level: block, new-top-level: off}"))
    assert level == "block" and "escape the install folder: ../evil.py" in message


def test_unknown_is_said_never_a_pass() -> None:
    [(level, unknown, message)] = found(UNKNOWN, UNKNOWN)
    assert unknown is True and "could not read what the release files of litellm 1.82.8 hold" in message
    litellm = wheel("1.82.8", "litellm_init.pth", pth_files=("litellm_init.pth",), pth_imports=("litellm_init.pth",))
    results = found(litellm, UNKNOWN)
    assert [(level, unknown) for level, unknown, _ in results] == [("block", False), ("warn", True)]
    assert "no earlier release to compare with" in results[0][2]


def test_a_first_release_with_a_pth_is_reported() -> None:
    litellm = wheel("1.0", "x.pth", pth_files=("x.pth",))
    [(level, _, message)] = found(litellm, None)
    assert level == "block" and "x.pth" in message and "import line" not in message


def test_inspector_links_only_for_pypis_file_host() -> None:
    private = wheel("1.0")._replace(url="https://pypi.internal.example/files/litellm-1.0-py3-none-any.whl")
    assert inspector_link(private, "litellm", "a.pth") is None


def _npm_judged(new: ArtifactContents, old: ArtifactContents | None) -> list[tuple[str | None, str]]:
    from checker.model import Change, Dependency, Facts, Manifest
    from checker.rules.artifact_content import check
    from checker.rules.base import Subject

    after = Dependency("npm", "pkg", "1.1.0", "1.1.0", manifest="package-lock.json", line=3)
    change = Change("upgraded", after._replace(version="1.0.0"), after)
    fact = Facts("npm", "pkg", "1.1.0", exists=True, artifact=new, prior_artifact=old)
    subject = Subject(after, Manifest("package-lock.json", "package-lock", "npm", ()), change, fact)
    return [(issue.level, issue.message) for issue in check(subject, RULE.defaults())]


def npm_tarball(version: str, *files: str, **fields: object) -> ArtifactContents:
    return ArtifactContents(f"pkg-{version}.tgz", f"https://registry.npmjs.org/pkg/-/pkg-{version}.tgz", 1000,
                            kind="npm", files=("package.json", "index.js", *files), version=version,
                            **fields)  # type: ignore[arg-type]


def test_npm_manifest_confusion_blocks_on_its_own() -> None:
    """The registry shows one package.json, the tarball holds another: npm installs by the tarball's."""
    [(level, message)] = _npm_judged(npm_tarball("1.1.0", mismatched=("scripts", "dependencies")), None)
    assert level == "block"
    assert message.startswith("pkg 1.1.0: the package.json inside pkg-1.1.0.tgz differs from the registry's version "
                              "document in scripts, dependencies (manifest confusion")


def test_npm_new_install_time_build_commands_and_binaries_against_the_tarball_before() -> None:
    new = npm_tarball("1.1.0", "binding.gyp", "build/x.node", entry_points=("bin:ls", "bin:pkg"),
                      native=("build/x.node",))
    found = _npm_judged(new, npm_tarball("1.0.0", entry_points=("bin:pkg",)))
    assert found == [
        ("warn", "pkg 1.1.0 adds binding.gyp (compared with 1.0.0): npm builds native code from it at install"),
        ("warn", "pkg 1.1.0 adds commands (compared with 1.0.0): ls"),
        ("warn", "pkg 1.1.0 adds native binaries where 1.0.0 had none: build/x.node")]
    assert _npm_judged(new, new._replace(version="1.0.0")) == []  # nothing new: nothing said
