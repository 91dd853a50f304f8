"""checker/manifests/gitconfig.py: git's configuration syntax read as git reads it.

git itself is the oracle: ``git config -f FILE -z --list`` prints every entry as git parsed it (section and key
lower-cased, subsection as git keys it, value unquoted and unescaped), or fails where git refuses the file. Every
hand-written case and every generated one must give the same entries, or fail alike.
"""

from __future__ import annotations

import os
import subprocess
import tempfile

import pytest
from hypothesis import given, note
from hypothesis import strategies as st

from tests.hypothesis_profiles import hang_guard, use_profile

from checker.errors import ManifestError
from checker.manifests.gitconfig import Entry, read

use_profile()


def git_entries(text: str) -> list[tuple[str, str | None]] | None:
    """(variable, value) as git lists them, entries before any header left out (no section: nothing reads them);
    None when git refuses the file."""
    with tempfile.NamedTemporaryFile("w", delete=False, suffix=".config", newline="", encoding="utf-8") as handle:
        handle.write(text)
    try:
        env = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
        done = subprocess.run(["git", "config", "-f", handle.name, "-z", "--list"], capture_output=True,
                              env={**env, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull})
    finally:
        os.unlink(handle.name)
    if done.returncode != 0:
        return None
    found = []
    for record in done.stdout.decode("utf-8", "surrogateescape").split("\0"):
        if record:
            variable, newline, value = record.partition("\n")
            if "." in variable:
                found.append((variable, value if newline else None))
    return found


def our_entries(text: str) -> list[Entry] | None:
    try:
        return read(text, "x.config")
    except ManifestError:
        return None


def variable(entry: Entry) -> str:
    return ".".join(part for part in (entry.section, entry.subsection, entry.key) if part is not None)


def assert_like_git(text: str) -> list[Entry] | None:
    ours, gits = our_entries(text), git_entries(text)
    assert (ours is None) == (gits is None), (text, ours, gits)
    if ours is not None and gits is not None:
        assert [variable(entry) for entry in ours] == [name for name, _ in gits], text
        for entry, (_, value) in zip(ours, gits):
            if not entry.mixed_blanks:  # the one thing git versions read differently (see the module docstring)
                assert entry.value == value, (text, entry, value)
    return ours


@pytest.mark.parametrize("text", [
    '[submodule "lib"]\n\tpath = vendor/lib\n\turl = https://example.com/lib.git\n',
    '[submodule "a\\"b"]\n url = "x y" z  # comment\n',         # escaped quote in the subsection, quotes toggle
    '[submodule "a\\\\b\\c"]\n url = u\n',                       # a backslash keeps the next character
    "[Submodule.Foo]\nURL=u\n",                                  # deprecated form: subsection lower-cased
    '[submodule.a "b"]\nurl=u\n',                                # keyed as submodule "a.b"
    '[ "x"]\nk=v\n',                                            # no section name, a subsection: valid
    "[s] k = a\\\n  b\n",                                       # continuation; an entry on the header's line
    '[s] k = "a ;b" ; comment\n',                               # comment characters inside quotes
    "[s]\nk\n",                                                 # a bare key: boolean true (no value)
    "[s]\r\nk = v\r\n",                                         # CRLF
    "[s]\nk = a\\tb\\nc\\\\d\\\"e\\bf\n",                       # the five escapes
    "[s] ; c\nk=v",                                             # no newline at the end
    "k=v\n[s]\nx=y\n",                                          # an entry before any header
    '[s  "sub"]\nk=v\n',
    "[s]\nk =   \n",                                            # empty value
    '[s]\nk = " "\n',
    "[s]\nk-1 = v\n",
    "[s]\nk = \\\n",                                            # continuation at the end of the file
    "[s.]\nk=v\n",
    "[s]\nk = a  b\t\n",                                        # inner spaces kept, trailing blanks dropped
    '[s]\nk = a "  " \n',
    "[s]\nk = abc \\\n   def\n",
    '[a "b"][c "d"] k = v\n',                                   # two headers on one line
    "\ufeff[s]\nk = v\n",
])
def test_files_git_reads(text):
    if text.startswith("\ufeff"):
        text = text[1:]  # collect drops the BOM before any parser sees the text
    assert assert_like_git(text) is not None


@pytest.mark.parametrize("text", [
    "[s]\nk = a\\x\n",               # unknown escape
    '[s]\nk = "open\n',              # quote not closed on its line
    '[s "a\nb"]\n',                  # subsection across lines
    '[s "sub"  ]\n',                 # nothing may come between the closing quote and ]
    "[s]\n1k = v\n",                 # a key starts with a letter
    "[s]\nk.x = v\n",
    "[]\n",
    "[s\n",
    "[s]\nk ; c\n",                   # a comment right after a bare key
    "[s]\nk v\n",
    "[s x]\n",                       # a subsection must be quoted
    '[s "x]\n',
    "[s]\n= v\n",
    "[s]\nk = \"a\\\n",
])
def test_files_git_refuses(text):
    assert git_entries(text) is None
    with pytest.raises(ManifestError, match="bad config line") as caught:
        read(text, "x.config")
    assert caught.value.path == "x.config" and caught.value.line is not None


def test_lines_and_shapes():
    entries = read('# top\n[submodule "lib"]\n\tpath = vendor/lib\n\n\turl = \\\n  u\n\tupdate\n', ".gitmodules")
    assert entries == [
        Entry("submodule", "lib", "path", "vendor/lib", 3),
        Entry("submodule", "lib", "url", "u", 5),
        Entry("submodule", "lib", "update", None, 7),
    ]


@pytest.mark.parametrize("value", ["a\tb", "a\rb", "a \t b"])
def test_a_tab_or_cr_inside_a_value_is_marked(value):
    """git before 2.45 reads each blank inside a value as a space, later versions as written."""
    (entry,) = read(f"[s]\nk = {value}\n", "x")
    assert entry.mixed_blanks and entry.value == value


@pytest.mark.parametrize("value", ["a b", "a  b", '"a\tb"', "a\\tb", "a\t", "\ta"])
def test_values_every_git_reads_alike_are_not_marked(value):
    (entry,) = read(f"[s]\nk = {value}\n", "x")
    assert not entry.mixed_blanks


# The characters git's config syntax gives meaning to, and a few that must stay ordinary.
_ALPHABET = ['[', ']', '"', "\\", "=", "#", ";", " ", "\t", "\n", "\r", ".", "-", "s", "k", "v", "u", "1", "é",
             "submodule", "path", "url", "branch", "\r\n", "\\\n"]


@given(parts=st.lists(st.sampled_from(_ALPHABET), max_size=40))
def test_generated_files_read_as_git_reads_them(parts):
    text = "".join(parts)
    note(repr(text))
    with hang_guard("reading a generated config"):
        assert_like_git(text)


@given(body=st.lists(st.tuples(st.sampled_from(["path", "url", "Branch", "x-y"]),
                               st.text(alphabet=' \t"\\#;abc/.:@-', max_size=12)), max_size=5),
       header=st.sampled_from(['[submodule "a"]', "[submodule.A]", '[submodule "a b\\"c"]', '[SubModule "x.y"]']))
def test_generated_entries_read_as_git_reads_them(header, body):
    text = header + "\n" + "".join(f"\t{key} = {value}\n" for key, value in body)
    note(repr(text))
    assert_like_git(text)


def test_a_megabyte_line_reads_in_linear_time():
    for line in ("[s]\nk = " + "a " * 500_000, "[s]\nk = " + '"' + "\\t" * 300_000 + '"', "#" * 1_000_000,
                 "[s]\nk = " + "\t" * 1_000_000 + "x", '[s "' + "\\a" * 500_000 + '"]\n'):
        with hang_guard("a 1 MB line"):
            our_entries(line)
