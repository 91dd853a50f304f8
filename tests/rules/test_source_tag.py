"""source-tag on hand-built Facts, through the engine, and its candidate tag names; the facts stage against the fake
GitHub API and registry is tests/registries/test_stage_source_tag.py."""

from __future__ import annotations

from checker.judge.engine import judge
from checker.model import UNKNOWN, Change, Dependency, Facts, Manifest, SourceRepository, SourceTag
from checker.policy.load import load_policy
from checker.rules.source_tag import RULE, candidate_tags, github_hosts
from tests.rules.fact_subjects import KNOWN, NOW, dep, facts, quiet
from tests.rules.fact_subjects import run as run_policy

ON = "  source-tag: block\n"  # as the strict preset has it, with missing: warn (the option's default)

REPO = SourceRepository("github.com", "BerriAI", "litellm")
API = "https://api.github.com"
HEAD = "c" * 40
TAG_COMMIT = "d" * 40


def tagged(tag: object, repository: object = REPO, api: str | None = API, **more: object) -> object:
    return facts(**{**KNOWN, "repository": repository, "source_tag": tag, "tags_api": api, **more})


def run(after: Dependency, fact: object, policy: str = ON) -> list[tuple[str, str, bool, str]]:
    return run_policy(after, fact, policy if "source-tag" in policy else ON + policy)  # type: ignore[arg-type]


def findings(found: list[tuple[str, str, bool, str]]) -> list[tuple[str, bool, str]]:
    return [(level, unknown, message) for rule, level, unknown, message in found if rule == "source-tag"]


def test_no_tag_warns_by_default_and_blocks_in_strict() -> None:
    assert (RULE.default_level, RULE.defaults()["missing"], RULE.defaults()["unchecked"]) == ("off", "warn", "off")
    default = load_policy("extends: default\n", "p.yml", lambda p: None).rules["source-tag"]
    strict = load_policy("extends: strict\n", "p.yml", lambda p: None).rules["source-tag"]
    assert (default.level, default.options["missing"], default.options["unchecked"]) == ("block", "warn", "off")
    assert (strict.level, strict.options["missing"], strict.options["unchecked"]) == ("block", "block", "off")
    assert findings(run(dep(), tagged(None), "  source-tag: {level: block, missing: block}\n"))[0][0] == "block"
    assert findings(run(dep(), tagged(None), "  source-tag: {level: off, missing: block}\n")) == []  # the rule is off


def test_litellm_1_82_8_without_a_tag_warns_naming_the_repository_and_the_tags_tried() -> None:
    [(level, unknown, message)] = findings(run(dep(), tagged(None)))
    assert (level, unknown) == ("warn", False)
    assert message == (
        "litellm 1.82.8: its source repository github.com/BerriAI/litellm has no tag for this version (tried "
        "v1.82.8, 1.82.8, litellm-1.82.8, litellm@1.82.8, litellm-v1.82.8); a release uploaded without one may not "
        "come from the project's own release process")


def test_the_hint_says_what_to_check() -> None:
    policy = load_policy("extends: strict\n", "p.yml", lambda p: None)
    judged = judge([Change("upgraded", dep(version="1.82.6"), dep())], [],
                   [Manifest("requirements.txt", "requirements", "pypi", (dep(),))], policy, today=NOW.date(),
                   facts={("pypi", "litellm", "1.82.8"): tagged(None)})  # type: ignore[dict-item]
    [finding] = [f for f in judged.findings if f.rule == "source-tag"]
    assert "github.com/BerriAI/litellm/tags" in (finding.hint or "")
    assert "write an exception for pypi:litellm@1.82.8" in (finding.hint or "")


def test_a_tagged_release_says_nothing() -> None:
    assert findings(run(dep(version="1.82.6"), tagged(SourceTag("v1.82.6", TAG_COMMIT), version="1.82.6"))) == []


def test_the_level_caps_missing_and_off_says_nothing() -> None:
    assert findings(run(dep(), tagged(None), "  source-tag: {level: info}\n"))[0][0] == "info"
    assert findings(run(dep(), tagged(None), "  source-tag: {level: block, missing: 'off'}\n")) == []
    assert findings(run(dep(), tagged(None), "  source-tag: off\n")) == []


def test_excluded_packages_are_not_judged() -> None:
    assert findings(run(dep(), tagged(None), "  source-tag: {level: block, exclude: ['pypi:litellm']}\n")) == []


def npm_run(fact: Facts, policy: str = "") -> list[tuple[str, bool, str]]:
    after = Dependency("npm", "@acme/lib", "1.2.3", "1.2.3", manifest="package-lock.json", line=4)
    before = after._replace(version="1.2.2", specifier="1.2.2")
    text = ("extends: default\nreview: {required-for: []}\nrules:\n  hash-pinning: off\n  deny: off\n"
            + quiet(policy or ON))
    judged = judge([Change("upgraded", before, after, "patch")], [],
                   [Manifest("package-lock.json", "package-lock", "npm", (after,))],
                   load_policy(text, "p.yml", lambda p: None), today=NOW.date(),
                   facts={("npm", "@acme/lib", "1.2.3"): fact})
    return [(f.level, f.unknown, f.message) for f in judged.findings if f.rule == "source-tag"]


def npm_facts(tag: object, git_head: object) -> Facts:
    return Facts("npm", "@acme/lib", "1.2.3", as_of=NOW, **{**KNOWN, "repository": SourceRepository(  # type: ignore[arg-type]
        "github.com", "acme", "lib"), "source_tag": tag, "tags_api": API, "git_head": git_head})


def test_npm_git_head_that_is_not_the_tags_commit_blocks_naming_both_commits() -> None:
    [(level, unknown, message)] = npm_run(npm_facts(SourceTag("v1.2.3", TAG_COMMIT), HEAD))
    assert (level, unknown) == ("block", False)
    assert message == ("@acme/lib 1.2.3 was published from commit cccccccccccc (the registry's gitHead), but "
                       "github.com/acme/lib's tag v1.2.3 points to dddddddddddd: the package was not built from the "
                       "tagged release")


def test_npm_git_head_mismatch_takes_the_rules_level_not_missings() -> None:
    assert npm_run(npm_facts(SourceTag("v1.2.3", TAG_COMMIT), HEAD), "  source-tag: {level: block, missing: info}\n")[0][0] == "block"
    assert npm_run(npm_facts(SourceTag("v1.2.3", TAG_COMMIT), HEAD), "  source-tag: warn\n")[0][0] == "warn"


def test_npm_git_head_that_is_the_tags_commit_or_absent_says_nothing() -> None:
    assert npm_run(npm_facts(SourceTag("@acme/lib@1.2.3", HEAD), HEAD)) == []
    assert npm_run(npm_facts(SourceTag("v1.2.3", TAG_COMMIT), None)) == []  # gitHead is optional in npm


def test_a_tag_that_could_not_be_found_out_is_unknown_never_no_tag() -> None:
    [(level, unknown, message)] = findings(run(dep(), tagged(UNKNOWN, reason="source tag: tags of x: GitHub "
                                                                             "answered 403: API rate limit exceeded")))
    assert unknown is True and level == "warn"  # on-unknown
    assert message == ("could not find out whether github.com/BerriAI/litellm has a release tag for litellm 1.82.8 "
                       "(source tag: tags of x: GitHub answered 403: API rate limit exceeded)")


def test_an_unknown_repository_is_unknown_when_the_registry_was_not_reached() -> None:
    offline = facts(repository=UNKNOWN, reason="offline, not cached")  # exists UNKNOWN: the registry said nothing
    [(level, unknown, message)] = findings(run(dep(), offline))  # type: ignore[arg-type]
    assert unknown is True
    assert message == ("could not find out which source repository litellm 1.82.8 names, so its release tag was not "
                       "checked (offline, not cached)")


def test_an_index_without_a_json_api_names_no_repository_and_is_unchecked_not_unknown() -> None:
    """A private index without PyPI's JSON API answers every version and never its repository: the client says
    "none" (an unknown on every bump nobody can act on would be noise); a repository this run could not find out
    (offline and not cached) is an unknown, which another run can settle."""
    from checker.registries.fetch import Fetcher
    from checker.registries.pypi import PypiClient

    private = PypiClient(Fetcher(None, None, offline=True), "https://pypi.corp/")  # type: ignore[arg-type]
    assert private.repository("litellm", "1.82.8") == (None, None)
    public = PypiClient(Fetcher(None, None, offline=True))  # type: ignore[arg-type]
    repository, why = public.repository("litellm", "1.82.8")
    assert repository is UNKNOWN and "offline" in (why or "")
    assert findings(run(dep(), tagged(UNKNOWN, None, None))) == []
    [(level, unknown, message)] = findings(run(dep(), tagged(UNKNOWN, None, None),
                                                "  source-tag: {level: block, unchecked: info}\n"))
    assert (level, unknown, message) == ("info", False, "litellm 1.82.8 names no source repository, so no release "
                                                        "tag was checked")
    [(level, unknown, _)] = findings(run(dep(), tagged(UNKNOWN, UNKNOWN, None, reason="offline, not cached")))
    assert (level, unknown) == ("warn", True)


def test_no_repository_or_one_outside_github_is_off_by_default_and_info_when_asked() -> None:
    assert findings(run(dep(), tagged(UNKNOWN, None, None))) == []
    gitlab = SourceRepository("gitlab.com", "group/sub", "proj")
    assert findings(run(dep(), tagged(UNKNOWN, gitlab, None))) == []
    on = "  source-tag: {level: warn, unchecked: info}\n"
    [(level, unknown, message)] = findings(run(dep(), tagged(UNKNOWN, gitlab, None), on))
    assert (level, unknown) == ("info", False)
    assert message == ("litellm 1.82.8 names its source repository on gitlab.com (gitlab.com/group/sub/proj), where "
                       "lockgate reads no tags, so no release tag was checked")
    assert findings(run(dep(), tagged(UNKNOWN, None, None), on))[0][2] == \
        "litellm 1.82.8 names no source repository, so no release tag was checked"


def test_only_added_upgraded_and_downgraded_versions_are_judged() -> None:
    policy = load_policy("extends: default\nreview: {required-for: []}\nrules:\n" + ON, "p.yml", lambda p: None)
    for kind, expected in (("hashes-changed", 0), ("added", 1)):
        before = None if kind == "added" else dep()
        judged = judge([Change(kind, before, dep())], [], [Manifest("requirements.txt", "requirements", "pypi", (dep(),))],
                       policy, today=NOW.date(), facts={("pypi", "litellm", "1.82.8"): tagged(None)})  # type: ignore[dict-item]
        assert len([f for f in judged.findings if f.rule == "source-tag"]) == expected, kind


def test_candidate_tags() -> None:
    assert candidate_tags("pypi", "litellm", "1.82.8") == (
        "v1.82.8", "1.82.8", "litellm-1.82.8", "litellm@1.82.8", "litellm-v1.82.8")
    # PEP 440's normal form too (a pin written 1.82.08 is the release tagged v1.82.8), and the name's.
    assert candidate_tags("pypi", "Foo_Bar", "1.82.08") == (
        "v1.82.08", "1.82.08", "Foo_Bar-1.82.08", "Foo_Bar@1.82.08", "Foo_Bar-v1.82.08", "foo-bar-1.82.08",
        "foo-bar@1.82.08", "foo-bar-v1.82.08", "v1.82.8", "1.82.8", "Foo_Bar-1.82.8", "Foo_Bar@1.82.8",
        "Foo_Bar-v1.82.8", "foo-bar-1.82.8", "foo-bar@1.82.8", "foo-bar-v1.82.8")
    assert candidate_tags("npm", "@scope/pkg", "1.2.3") == (
        "v1.2.3", "1.2.3", "@scope/pkg@1.2.3", "pkg-1.2.3", "pkg@1.2.3", "pkg-v1.2.3")
    # Nothing that is no tag name, and no path trick: the tag goes into the API's URL path.
    assert candidate_tags("pypi", "x", "not a version") == ()
    assert candidate_tags("npm", "x", "1/../../../../evil/repo/git/ref/tags/v1") == ()
    assert candidate_tags("npm", "x", "1.0.0/..") == ()


def test_github_hosts() -> None:
    assert github_hosts("https://api.github.com") == {"github.com"}
    assert github_hosts("https://GHE.example.com/api/v3") == {"github.com", "ghe.example.com"}


def test_a_404_from_the_public_pypi_json_api_stays_unknown(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """pypi.org serves the JSON API for every version it lists: a 404 there (a CDN's stale answer for a release
    uploaded minutes ago, as litellm 1.82.8 was) is unknown, never "names no repository" (which would skip the tag
    check without a word), and it is not remembered as an absent API."""
    from checker.registries.cache import Cache
    from checker.registries.fetch import Fetcher
    from checker.registries.http import NotFound
    from checker.registries.pypi import PypiClient

    class NotFoundHttp:
        def get(self, url: str, **_: object) -> object:
            raise NotFound(f"{url}: 404", url=url)

        def redact(self, text: str) -> str:
            return text

    cache = Cache(tmp_path)
    public = PypiClient(Fetcher(NotFoundHttp(), cache))  # type: ignore[arg-type]
    repository, why = public.repository("litellm", "1.82.8")
    assert repository is UNKNOWN and "answered 404" in (why or "")
    assert cache.get("https://pypi.org/pypi/litellm/1.82.8/json", "application/json") is None
    private = PypiClient(Fetcher(NotFoundHttp(), cache), "https://pypi.corp.example/simple")  # type: ignore[arg-type]
    assert private.repository("litellm", "1.82.8") == (None, None)  # a private index without the JSON API
