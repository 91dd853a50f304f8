"""Optional cryptographic verification of PyPI attestations (PEP 740) against the publisher a policy expects.

The facts stage reads a file's publisher from PyPI's Integrity API: the registry's word. With the optional extra
``lockgate[verify]`` (pypi-attestations, which brings sigstore) installed, this module also checks the
attestation itself: that its Sigstore certificate was issued to the expected GitHub / GitLab workflow, that it
signs the file's digest (the one the lockfile pins), and that it is in the transparency log. Without the extra it
says so (``available()`` is False): the rule then reports the publisher as unverified rather than pretending.
The import is lazy: lockgate never loads sigstore unless a policy asks for verification.
"""

from __future__ import annotations

import importlib.util
from typing import TYPE_CHECKING

from checker.model import UNKNOWN, Unknown

if TYPE_CHECKING:
    from checker.policy.load import PublisherPin

EXTRA_MISSING = ("cryptographic verification needs the optional extra lockgate[verify] "
                 "(pip install 'lockgate[verify]'); the publisher was read from the registry, not verified")


def available() -> bool:
    """Whether pypi-attestations can be imported (without importing it)."""
    try:
        return importlib.util.find_spec("pypi_attestations") is not None
    except (ImportError, ValueError):
        return False


def verify_file(provenance_document: object, filename: str, sha256: str, pin: PublisherPin, *,
                offline: bool = False) -> tuple[bool | Unknown, str]:
    """(True | False | UNKNOWN, why) for one distribution file: does any attestation in the provenance document
    verify against ``pin`` (repository, workflow, environment) for that file's digest?"""
    if not available():
        return UNKNOWN, EXTRA_MISSING
    try:
        from pypi_attestations import Distribution, GitHubPublisher, GitLabPublisher, Provenance
    except Exception as error:  # a broken installation is "could not verify", never a crash
        return UNKNOWN, f"pypi-attestations could not be loaded ({type(error).__name__})"
    try:
        provenance = Provenance.model_validate(provenance_document)
    except Exception as error:
        return False, f"the provenance of {filename} is not a valid PEP 740 provenance object ({type(error).__name__})"
    workflow = pin.workflow or ""
    owner_kind = GitLabPublisher if "/" in pin.repository and pin.repository.count("/") > 1 else GitHubPublisher
    try:
        identity = owner_kind(repository=pin.repository, workflow=workflow, environment=pin.environment)
        dist = Distribution(name=filename, digest=sha256)
    except Exception as error:
        return UNKNOWN, f"cannot express the expected publisher for verification ({type(error).__name__})"
    failures = []
    for bundle in provenance.attestation_bundles:
        for attestation in bundle.attestations:
            try:
                attestation.verify(identity, dist, offline=offline)
                return True, f"the attestation of {filename} verifies against {pin.describe()}"
            except Exception as error:  # VerificationError and sigstore's own errors
                failures.append(str(error)[:200] or type(error).__name__)
    if not failures:
        return False, f"the provenance of {filename} holds no attestation"
    return False, f"no attestation of {filename} verifies against {pin.describe()}: {failures[0]}"
