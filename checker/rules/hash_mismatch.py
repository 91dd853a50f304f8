"""hash-mismatch: every hash the repository pins is one the registry published for that version.

A lockfile or requirements hash that the registry never published for the version means the artifact that will be
installed is not the one the registry serves: lockfile injection (a pull request that swaps a hash and a
``resolved`` URL), or an artifact republished under the same version. ``hashes-changed`` changes (same version,
other hashes) are judged the same way: the registry says which hashes are right.

RubyGems publishes each platform build's ``sha`` (sha256, ``/api/v1/versions/NAME.json``), compared with
Gemfile.lock's CHECKSUMS; Packagist a dist's ``shasum`` (sha1, ``/p2/VENDOR/NAME.json``), compared with
composer.lock's. The Go checksum database publishes a module version's ``h1:`` hashes, of its zip and of its go.mod
(``/lookup/MODULE@VERSION``), which a go.sum line must equal; they are base64, compared as written. pub.dev
publishes a version's ``archive_sha256``, the ``sha256`` pubspec.lock records. nuget.org's registration publishes no
package hash at all: a packages.lock.json ``contentHash`` has nothing to be compared with, which is no unknown (NuGet
itself refuses a package whose content hash differs when it restores in locked mode).
"""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from checker.model import Unknown
from checker.rules.base import Issue, Rule, Subject, registry_facts

# Ecosystems whose registry API publishes no digest of a version: NuGet's registration (the lock's contentHash is
# checked by NuGet itself in locked mode, NU1403). Their clients answer an empty set of hashes, which is no unknown.
NO_PUBLISHED_HASHES = frozenset({"nuget"})
# Digests a registry publishes; other entries (Yarn Berry's cache checksums) are not comparable with any. Go's
# ``h1`` (a module zip's dirhash) and ``h1/go.mod`` (its go.mod's) are what the checksum database publishes
# (checker/manifests/go_sum.py); a go.sum's ``h1/go.mod@<version>`` entries name other versions and are not compared.
REGISTRY_ALGORITHMS = frozenset({"md5", "sha1", "sha224", "sha256", "sha384", "sha512", "blake2b_256", "h1",
                                 "h1/go.mod"})
# Digests written in base64, whose case is part of the value: compared as written, never lower-cased.
_CASE_SENSITIVE = frozenset({"h1", "h1/go.mod"})


def _algorithm(entry: str) -> str:
    return entry.split(":", 1)[0].lower()


def _normal(entry: str) -> str:
    """A digest as compared: hex lower-cased, base64 (Go's ``h1:``) as written."""
    return entry if _algorithm(entry) in _CASE_SENSITIVE else entry.lower()


def check(subject: Subject, options: Mapping[str, Any]) -> Iterator[Issue]:
    dep = subject.dependency
    pinned = sorted(_normal(h) for h in dep.hashes if _algorithm(h) in REGISTRY_ALGORITHMS)
    if not pinned:
        return
    facts = registry_facts(subject)
    if facts is None:
        return
    if facts.exists is False:
        return  # version-exists reports it
    published = facts.hashes
    if published == frozenset() and dep.ecosystem in NO_PUBLISHED_HASHES:
        return  # nothing published to compare with: not "could not find out"
    if isinstance(published, Unknown) or not published:
        reason = facts.unknown_reason
        yield Issue(
            f"could not check the {len(pinned)} pinned hash(es) of {dep.name} {dep.version} against the registry's "
            f"({reason})",
            hint="run where the registry can be reached",
            unknown=True,
            cause=reason,
        )
        return
    known = {_normal(h) for h in published}
    algorithms = {_algorithm(h) for h in known}
    comparable = [h for h in pinned if _algorithm(h) in algorithms]
    if not comparable:
        yield Issue(
            f"the registry publishes only {', '.join(sorted(algorithms))} digests of {dep.name} {dep.version}, and "
            f"none of the pinned hashes uses one ({', '.join(sorted({_algorithm(h) for h in pinned}))})",
            hint="pin the digests the registry publishes (pip: sha256) so that they can be checked",
            unknown=True,
            cause="the registry publishes no digest of the kind pinned",
        )
        return
    foreign = [h for h in comparable if h not in known]
    if not foreign:
        return
    shown = ", ".join(h.split(":", 1)[0] + ":" + h.split(":", 1)[1][:16] + "…" for h in foreign[:3])
    more = f" and {len(foreign) - 3} more" if len(foreign) > 3 else ""
    kind = subject.change.kind if subject.change is not None else None
    what = "changed hashes" if kind == "hashes-changed" else "hashes"
    yield Issue(
        f"{dep.name} {dep.version}: {len(foreign)} of the {what} pinned in {dep.manifest} ({shown}{more}) "
        f"{'is' if len(foreign) == 1 else 'are'} not among the hashes {facts.registry or 'the registry'} published "
        "for this version: the artifact is not the one the registry serves (lockfile injection, or a republished "
        "artifact)",
        hint=("remove the line from go.sum and let `go mod download` write it again (it checks the checksum "
              "database), and find out where the pinned hash came from" if dep.ecosystem == "go" else
              "regenerate the lockfile from the registry (pip-compile --generate-hashes, npm install) and find out "
              "where the pinned hash came from"),
    )


RULE = Rule(
    id="hash-mismatch",
    label="hash mismatch",
    default_level="block",
    action="Find out why the hashes differ from the registry's",
    action_rank=30,
    summary="Every pinned hash is one the registry published for that version.",
    explanation=(
        "A hash pins an artifact only if it is the right one. A lockfile or requirements hash that the registry "
        "never published for that version means what will be installed is not what the registry serves: lockfile "
        "injection (a pull request that swaps a hash together with a `resolved` URL, which reviewers rarely read), "
        "or an artifact republished under the same version number. lockgate compares the pinned digests with those "
        "the registry publishes (PyPI: every file's `hashes` in the JSON simple API; npm: `dist.integrity` and "
        "`dist.shasum`), for added and upgraded versions and for `hashes-changed` changes alike. Digests of an "
        "algorithm the registry does not publish cannot be compared and are `unknown`."
    ),
    fix="Regenerate the lockfile from the registry and find out where the foreign hash came from before merging.",
    example=(
        "requirements.txt: yanky==1.0 --hash=sha256:0000…   (the registry publishes sha256:5f1c…, sha256:9ab2…)\n"
        "  # block: yanky 1.0: 1 of the hashes pinned in requirements.txt (sha256:0000…) is not among the hashes\n"
        "  #        the registry published for this version"
    ),
    check_dependency=check,
)
