"""Tests for checker.manifests.gemfile_lock: Bundler's lockfile sections as lockfile_parser.rb reads them, on real
lockfiles (tests/manifests/fixtures/gemfile/SOURCES.md) and on the ways a pull request could slip a gem past."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from checker.errors import ManifestError
from checker.manifests import format_for
from checker.manifests.gemfile_lock import parse
from checker.model import Source

FIXTURES = Path(__file__).parent / "fixtures" / "gemfile"
SHA = "a" * 64


def _parse(text: str):
    return parse(text, "Gemfile.lock", lambda path: None)


def _by_name(manifest):
    return {(d.name, d.markers): d for d in manifest.dependencies}


LOCK = f"""GIT
  remote: https://github.com/acme/widget.git
  revision: 0123456789abcdef0123456789abcdef01234567
  branch: main
  specs:
    widget (0.3.0)
      rack (>= 2)

PATH
  remote: engines/billing
  specs:
    billing (1.0.0)

GEM
  remote: https://rubygems.org/
  specs:
    nokogiri (1.16.0)
      racc (~> 1.4)
    nokogiri (1.16.0-x86_64-linux)
      racc (~> 1.4)
    rack (3.0.8)
    racc (1.7.3)

PLATFORMS
  ruby
  x86_64-linux

DEPENDENCIES
  billing!
  nokogiri (~> 1.16)
  rack
  widget!

CHECKSUMS
  nokogiri (1.16.0) sha256={SHA}
  nokogiri (1.16.0-x86_64-linux) sha256={"b" * 64}
  rack (3.0.8) sha256={"c" * 64}
  racc (1.7.3)

RUBY VERSION
   ruby 3.3.0p0

BUNDLED WITH
   2.6.2
"""


def test_sources_specs_platforms_and_checksums() -> None:
    manifest = _parse(LOCK)
    assert manifest.kind == "lock" and manifest.ecosystem == "gem" and manifest.problems == ()
    deps = _by_name(manifest)
    widget = deps[("widget", None)]
    assert widget.source == Source("git", url="https://github.com/acme/widget.git", ref="main",
                                   commit="0123456789abcdef0123456789abcdef01234567")
    assert widget.version == "0.3.0" and widget.direct and widget.line == 6
    assert deps[("billing", None)].source == Source("path", url="engines/billing")
    linux = deps[("nokogiri", "platform: x86_64-linux")]
    assert linux.version == "1.16.0" and linux.hashes == {"sha256:" + "b" * 64} and linux.direct
    assert deps[("nokogiri", None)].hashes == {"sha256:" + SHA}
    assert deps[("rack", None)].source == Source("registry", url="https://rubygems.org/")
    assert deps[("racc", None)].hashes == frozenset() and not deps[("racc", None)].direct
    assert ("ruby", None) not in deps  # RUBY VERSION is no gem
    assert deps[("bundler.bundled-with", None)].ecosystem == "config"
    assert deps[("bundler.bundled-with", None)].version == "2.6.2"
    assert len([d for d in manifest.dependencies if d.ecosystem == "gem"]) == 6  # six-space lines are not specs


def test_crlf_and_blank_lines() -> None:
    assert _by_name(_parse(LOCK.replace("\n", "\r\n"))) == _by_name(_parse(LOCK))


def test_several_remotes_are_all_hosts() -> None:
    """An old GEM section with two remotes installs each gem from whichever has it: both hosts are judged."""
    text = "GEM\n  remote: https://rubygems.org/\n  remote: https://gems.evil.test/\n  specs:\n    rack (3.0.8)\n"
    [rack] = _parse(text).dependencies
    assert rack.source.hosts == {"https://rubygems.org", "https://gems.evil.test"}


def test_the_later_of_two_equal_specs_is_the_one_bundler_keeps() -> None:
    """Bundler keys specs by full name: a second `rack (3.0.8)` in a GIT section replaces the GEM one."""
    text = ("GEM\n  remote: https://rubygems.org/\n  specs:\n    rack (3.0.8)\n\n"
            "GIT\n  remote: https://github.com/evil/rack.git\n  revision: " + "1" * 40 + "\n  specs:\n    rack (3.0.8)\n")
    [rack] = _parse(text).dependencies
    assert rack.source.kind == "git" and rack.source.url == "https://github.com/evil/rack.git"


def test_unknown_section_is_a_problem() -> None:
    manifest = _parse(LOCK + "\nSOMETHING NEW\n  rack (9.9.9)\n")
    assert [p.line for p in manifest.problems] == [len(LOCK.splitlines()) + 2]
    assert "unknown section" in manifest.problems[0].message


@pytest.mark.parametrize("variant", ["   rack (3.0.8)", "\track (3.0.8)", "     rack (3.0.8)"])
def test_lines_bundler_ignores_are_not_specs(variant: str) -> None:
    """Exactly four spaces make a spec: three, five or a tab are ignored by Bundler, and so installed by nobody."""
    text = f"GEM\n  remote: https://rubygems.org/\n  specs:\n{variant}\n"
    assert _parse(text).dependencies == ()


def test_merge_conflict_is_unreadable() -> None:
    with pytest.raises(ManifestError) as error:
        _parse("GEM\n  remote: https://rubygems.org/\n  specs:\n<<<<<<< HEAD\n    rack (3.0.8)\n=======\n")
    assert error.value.line == 4


def test_malformed_checksum_is_a_problem() -> None:
    text = "GEM\n  remote: https://rubygems.org/\n  specs:\n    rack (3.0.8)\n\nCHECKSUMS\n  rack (3.0.8) sha256:zz\n"
    manifest = _parse(text)
    assert manifest.problems and manifest.problems[0].line == 7


def test_a_checksum_for_another_platform_does_not_pin_this_one() -> None:
    text = ("GEM\n  remote: https://rubygems.org/\n  specs:\n    ffi (1.16.3)\n\n"
            f"CHECKSUMS\n  ffi (1.16.3-x86_64-linux) sha256={SHA}\n")
    [ffi] = _parse(text).dependencies
    assert ffi.hashes == frozenset()


def test_empty_and_long_lines() -> None:
    with pytest.raises(ManifestError):
        _parse("\n\n")
    manifest = _parse("GEM\n  remote: https://rubygems.org/\n  specs:\n    " + "a" * 10000 + " (1)\n")
    assert manifest.dependencies == () and manifest.problems


def test_file_names() -> None:
    for path in ("Gemfile.lock", "app/gems.locked", "gemfiles/rails_7.gemfile.lock"):
        assert format_for(path).name == "gemfile-lock", path
    assert format_for("Gemfile").name == "gemfile" and format_for("gemfiles/rails_7.gemfile").name == "gemfile"
    assert format_for("Gemfile.lock.bak") is None


def test_real_lockfiles() -> None:
    brew = parse((FIXTURES / "brew.Gemfile.lock").read_text(), "Library/Homebrew/Gemfile.lock", lambda p: None)
    gems = [d for d in brew.dependencies if d.ecosystem == "gem"]
    assert len(gems) == 77 and all(d.hashes for d in gems) and brew.problems == ()
    old = parse((FIXTURES / "rubygems.org-2023.Gemfile.lock").read_text(), "Gemfile.lock", lambda p: None)
    assert old.problems == () and not any(d.hashes for d in old.dependencies)
    assert {d.name for d in old.dependencies if d.direct} >= {"rails", "pg"}
    git = parse((FIXTURES / "rubygems.org-git.Gemfile.lock").read_text(), "Gemfile.lock", lambda p: None)
    sigstore = [d for d in git.dependencies if d.name == "sigstore"]
    assert sigstore[0].source.kind == "git" and sigstore[0].source.commit == "6fafa2324662735b9c93e067e1c3465ba5ab69d8"
    assert sigstore[0].hashes == frozenset()  # Bundler writes no checksum for a git gem
    assert {d.source.url for d in git.dependencies if d.source.kind == "registry" and d.ecosystem == "gem"} == {
        "https://rubygems.org/", "https://packager.dev/avo-hq/"}


def test_bundler_09_yaml_lockfile_is_unreadable() -> None:
    """rubygems/rubygems.org's Gemfile.lock of 2010 (commit 1651ef8c86): Bundler 0.9 wrote YAML."""
    with pytest.raises(ManifestError) as error:
        _parse("--- \nspecs: \n- activesupport: \n    version: 2.3.5\n")
    assert "Bundler 0.9" in str(error.value) and error.value.line == 1


# Bundler's LockfileParser::NAME_VERSION, as written in bundler/lib/bundler/lockfile_parser.rb (Ruby's `$` is the
# end of the line here): the parser's hand-split fast path must give exactly what it gives.
NAME_VERSION = re.compile(r"( {2}| {4}| {6})(?! )(.*?)(?: \(([^-]*)(?:-(.*))?\))?(!)?(?: ([^ ]+))?\Z")


@pytest.mark.parametrize("body", [
    "rack (3.0.8)", "rack", "billing!", "nokogiri (1.16.0-x86_64-linux)", "rack (3.0.8) sha256=ab,sha512=cd",
    "ffi (1.16.3-x86_64-linux-gnu) sha256=" + "a" * 64, "a b (1.0)", "a (1.0) b c", "a(1.0)", "a (1.0", "a (1.0))",
    "a (>= 1.0, < 2)", "a (1.0)!", "a! (1.0)", "a (1.0-x) (2.0)", "a (1.0)  x", "a (1.0) ", "racc (1.7.3)",
    "a\t(1.0)", "(1.0)", "a (1-b-c)", "a (1.0) x)", "a ()", "name with spaces",
])
def test_the_fast_split_is_bundlers_expression(body: str) -> None:
    from checker.manifests.gemfile_lock import _name_version

    for indent in ("  ", "    "):
        found = NAME_VERSION.fullmatch(indent + body)
        expected = None if found is None else found.group(2, 3, 4, 5, 6)
        assert _name_version(body) == expected, (indent, body)


def test_the_fast_split_on_random_lines() -> None:
    import random

    from checker.manifests.gemfile_lock import _name_version

    rng = random.Random(7)
    alphabet = "ab1.- ()!=,x"
    for _ in range(20000):
        body = "".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 14))).lstrip(" ") or "a"
        found = NAME_VERSION.fullmatch("    " + body)
        assert _name_version(body) == (None if found is None else found.group(2, 3, 4, 5, 6)), body


@pytest.mark.parametrize("blank", ["\u00a0", "\x1c", "\u2003"])
def test_a_line_starting_with_what_ruby_does_not_call_blank_ends_the_section(blank: str) -> None:
    """Bundler ends a section at a line matching /^[^\\s]/, and Ruby's \\s is ASCII only: the specs after such a
    line are installed by nobody, and lockgate does not list them either (and reports the line)."""
    text = f"GEM\n  remote: https://rubygems.org/\n  specs:\n    rack (3.0.8)\n{blank}\n    evil (6.6.6)\n"
    manifest = _parse(text)
    assert [d.name for d in manifest.dependencies] == ["rack"]
    assert manifest.problems and manifest.problems[0].line == 5
