"""The rules on NuGet and pub dependencies: what issue 21 asks of hash-pinning, registry-source, exact-pinning,
deny and the registry-fact rules for them (a pubspec.lock without sha256 is files-without-hashes; pub SDK packages
come from no registry; NuGet ids match policies without regard to case; NuGet's registry publishes no hash and no
provenance, which is nothing to report)."""

from __future__ import annotations

import datetime as dt

from checker.model import Facts, Source
from checker.policy.patterns import PackagePattern
from checker.rules import exact_pinning, hash_mismatch, hash_pinning, provenance_downgrade, registry_source
from checker.rules.base import Subject
from tests.rules.subjects import SHA256, dep, manifest, options

SDK = Source("path", url="sdk:flutter")
NOW = dt.datetime(2026, 3, 24, tzinfo=dt.timezone.utc)


def pub(name: str, *, hashes: tuple[str, ...] = (), source: Source = Source()) -> object:
    return dep(name, "1.0.0", specifier="", ecosystem="pub", hashes=hashes, source=source, manifest="pubspec.lock")


def in_lock(target, *others) -> Subject:  # type: ignore[no-untyped-def]
    return Subject(target, manifest(target, *others, path="pubspec.lock", fmt="pubspec-lock"))


def test_a_pubspec_lock_without_any_sha256_is_a_file_without_hashes() -> None:
    old = pub("http")
    [issue] = hash_pinning.check(in_lock(old, pub("path")), options("hash-pinning"))
    assert issue.level == "warn" and "Dart 3.2" in (issue.hint or "")
    # one hosted package without sha256 in a lock that records them is a missing hash: the rule's own level
    [issue] = hash_pinning.check(in_lock(old, pub("path", hashes=(SHA256,))), options("hash-pinning"))
    assert issue.level is None and "carries no hash" in issue.message
    # SDK, path and git packages fetch no archive
    assert list(hash_pinning.check(in_lock(pub("flutter", source=SDK)), options("hash-pinning"))) == []


def test_sdk_packages_are_no_local_path_but_a_path_package_is() -> None:
    assert list(registry_source.check(in_lock(pub("flutter", source=SDK)), options("registry-source"))) == []
    [issue] = registry_source.check(in_lock(pub("mine", source=Source("path", url="../mine"))),
                                    options("registry-source"))
    assert "local path" in issue.message
    [issue] = registry_source.check(in_lock(pub("x", source=Source("registry", url="https://pub.evil.example"))),
                                    options("registry-source"))
    assert "not an allowed registry host" in issue.message


def test_a_declared_nuget_range_is_not_judged_by_exact_pinning_but_a_lock_entry_without_version_would_be() -> None:
    declared = dep("Newtonsoft.Json", None, specifier="[13.0,14.0)", ecosystem="nuget")
    assert list(exact_pinning.check(Subject(declared, manifest(declared, fmt="msbuild-project", kind="declared")),
                                    options("exact-pinning"))) == []


def test_nuget_ids_match_policies_without_regard_to_case() -> None:
    assert PackagePattern.parse("nuget:Newtonsoft.Json").matches("nuget", "newtonsoft.json")
    assert PackagePattern.parse("nuget:newtonsoft.*@[12.0,13.0.1)").matches("nuget", "Newtonsoft.Json", "12.0.3.0")
    assert not PackagePattern.parse("nuget:newtonsoft.*@[12.0,13.0.1)").matches("nuget", "Newtonsoft.Json", "13.0.1")
    assert not PackagePattern.parse("pub:HTTP").matches("pub", "http")  # pub names are lower case, compared as is


def test_nuget_publishes_no_hash_and_no_provenance_which_is_nothing_to_report() -> None:
    locked = dep("Newtonsoft.Json", "13.0.1", specifier="[13.0.1, )", ecosystem="nuget",
                 hashes=("sha512:" + "ab" * 64,), manifest="packages.lock.json")
    facts = Facts("nuget", "Newtonsoft.Json", "13.0.1", exists=True, hashes=frozenset(), as_of=NOW)
    subject = Subject(locked, manifest(locked, path="packages.lock.json", fmt="nuget-lock"), facts=facts)
    assert list(hash_mismatch.check(subject, {})) == []
    assert list(provenance_downgrade.check(subject, options("provenance-downgrade"))) == []
    # a registry that could not be asked is still unknown
    unknown = subject._replace(facts=facts._replace(hashes=Facts("x", "x", "x").hashes))
    [issue] = hash_mismatch.check(unknown, {})
    assert issue.unknown
