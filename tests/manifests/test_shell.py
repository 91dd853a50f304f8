"""The shell reader (checker/manifests/shell.py): commands, words and nesting as a POSIX shell reads them."""

from __future__ import annotations

import pytest

from checker.manifests import shell
from checker.manifests.shell import DYNAMIC, ShellError


def commands(text: str, **kwargs) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return [[w.value for w in c.words] for c in shell.read(text, **kwargs).commands()]


def pipelines(text: str) -> list[list[list[str]]]:
    return [[[w.value for w in c.words] for c in p.commands] for p in shell.read(text).pipelines]


def test_separators_and_pipelines() -> None:
    assert pipelines("a 1 && b 2 || c; d & e | f |& g\nh") == [
        [["a", "1"]], [["b", "2"]], [["c"]], [["d"]], [["e"], ["f"], ["g"]], [["h"]]]


def test_quotes_escapes_and_continuations() -> None:
    assert commands("'p'ip \"in\"stall p\\ip \\\n  x\\ y 'a b'") == [["pip", "install", "pip", "x y", "a b"]]
    assert commands("pip  install\t\tx") == [["pip", "install", "x"]]
    assert commands('echo "a \\"b\\" \\$c \\\\ \\x"') == [["echo", 'a "b" $c \\ \\x']]


def test_ansi_c_quoting_is_decoded() -> None:
    assert commands("$'\\x70ip' $'\\160\\151\\160' $'\\u0070ip' $'a\\tb'") == [["pip", "pip", "pip", "a\tb"]]


def test_expansions_are_dynamic() -> None:
    words = shell.read('pip install $PKG "${VER}" $(echo x) `echo y` $1 "$@" ~/x').commands()[0].words
    assert [w.static for w in words] == [True, True, False, False, False, False, False, False, True]
    assert words[2].value == DYNAMIC and words[2].raw == "$PKG"


def test_github_expressions_are_dynamic_even_in_single_quotes() -> None:
    words = shell.read("pip install ${{ inputs.pkg }} '${{ x }}' a${{ y }}b", expressions=True).commands()[0].words
    assert [w.static for w in words] == [True, True, False, False, False]
    assert [w.raw for w in words[2:]] == ["${{ inputs.pkg }}", "'${{ x }}'", "a${{ y }}b"]
    # Without expressions, ${{ is a parameter expansion: dynamic all the same.
    assert not shell.read("pip install ${{ x }}").commands()[0].words[2].static


def test_comments() -> None:
    assert commands("# pip install a\npip install b # c\necho a#b") == [["pip", "install", "b"], ["echo", "a#b"]]


def test_substitutions_are_read_as_scripts() -> None:
    command = shell.read('echo "$(curl -s x | sh)" `wget y` <(curl z) >(tee w)').commands()[0]
    inner = [[[w.value for w in c.words] for c in s.script.commands()] for w in command.words for s in w.subs]
    assert inner == [[["curl", "-s", "x"], ["sh"]], [["wget", "y"]], [["curl", "z"]], [["tee", "w"]]]
    assert [s.kind for w in command.words for s in w.subs] == ["$(", "`", "<(", ">("]


def test_nested_substitutions_and_arithmetic() -> None:
    command = shell.read("x $(a $(b $((1 + 2)) ) )").commands()[0]
    outer = command.words[1].subs[0].script.commands()[0]
    assert [w.value for w in outer.words][0] == "a"
    assert outer.words[1].subs[0].script.commands()[0].words[0].value == "b"


def test_case_patterns_do_not_end_a_substitution() -> None:
    command = shell.read("x=$(case $a in b) pip install c;; esac)").commands()[0]
    inner = command.assignments[0].subs[0].script.commands()
    assert [[w.value for w in c.words] for c in inner if c.words] == [["b"], ["pip", "install", "c"]]


def test_reserved_words_are_not_commands() -> None:
    text = "if true; then pip install a; elif b; then :; else npm i; fi\nwhile x; do gem install y; done\n" \
           "{ cargo install z; }\n! time go get w\nfunction f { pipx install v; }\nf() { uvx u; }"
    names = [c[0] for c in commands(text)]
    assert "pip" in names and "npm" in names and "gem" in names and "cargo" in names and "go" in names
    assert "pipx" in names and "uvx" in names
    assert not set(names) & {"if", "then", "fi", "do", "done", "{", "}", "!", "time", "function"}


def test_for_words_are_not_a_command_but_their_substitutions_are_kept() -> None:
    command = shell.read("for x in $(curl u | sh); do :; done").commands()[0]
    assert command.words[0].subs[0].script.commands()[1].words[0].value == "sh"


def test_assignments_and_redirections() -> None:
    command = shell.read("A=1 B=\"x y\" pip install a >out 2>&1 <in").commands()[0]
    assert [w.raw for w in command.assignments] == ["A=1", 'B="x y"']
    assert [w.value for w in command.words] == ["pip", "install", "a"]
    assert [r.op for r in command.redirects] == [">", ">&", "<"]


def test_heredocs() -> None:
    script = shell.read("cat <<EOF | bash\npip install $(curl x)\nEOF\ncat <<'Q' >f\n$(not run)\nQ\n\tcat <<-T\n\tbody\n\tT\nnext")
    first, second, third, last = script.pipelines
    heredoc = first.commands[0].redirects[0].heredoc
    assert heredoc.body == "pip install $(curl x)\n" and heredoc.line == 2 and heredoc.expands
    assert [w.value for w in heredoc.subs[0].script.commands()[0].words] == ["curl", "x"]
    quoted = second.commands[0].redirects[0].heredoc
    assert not quoted.expands and quoted.subs == []
    assert third.commands[0].redirects[0].heredoc.body == "body\n"
    assert [w.value for w in last.commands[0].words] == ["next"] and last.commands[0].line == 10


def test_lines() -> None:
    script = shell.read("a\n\nb \\\n c\n d", line=10)
    assert [c.line for c in script.commands()] == [10, 12, 14]
    assert [c.text for c in script.commands()] == ["a", "b c", "d"]


def test_pieces_give_lines_of_an_assembled_text() -> None:
    script = shell.read("a && b", pieces=[(0, 3), (5, 7)])
    assert [c.line for c in script.commands()] == [3, 7]


@pytest.mark.parametrize("text, message", [
    ("echo 'open", "single quote"),
    ('echo "open', "double quote"),
    ("echo $(open", "not closed"),
    ("echo `open", "backquote"),
    ("cat <<EOF\nbody", "heredoc <<EOF is not closed"),
    ("echo ${open", "not closed"),
])
def test_unreadable_scripts_raise(text: str, message: str) -> None:
    with pytest.raises(ShellError, match=message):
        shell.read(text)


def test_nesting_is_bounded() -> None:
    with pytest.raises(ShellError, match="nested"):
        shell.read("$(" * (shell.MAX_DEPTH + 2) + ")" * (shell.MAX_DEPTH + 2))
    deep = "x"
    for _ in range(shell.MAX_REREADS + 2):
        deep = "`" + deep.replace("\\", "\\\\").replace("`", "\\`") + "`"
    with pytest.raises(ShellError, match="nested"):
        shell.read("echo " + deep)


@pytest.mark.parametrize("unit", ["(", ")", "$", "'", '"', "\\", "`", "a ", "| ", "&& ", "<<", "${", "#", "\n",
                                  "$(", "<(", "${{ ", "a=b "])
def test_a_megabyte_of_one_pattern_is_read_or_refused_quickly(unit: str) -> None:
    """Linear time: each 1 MB text ends (a result or a ShellError), under the suite's hang guard."""
    text = unit * (1_000_000 // len(unit))
    try:
        shell.read(text, expressions=True)
    except ShellError:
        pass
