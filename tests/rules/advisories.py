"""Advisories as the OSV facts stage gives them (checker.model.Advisory), built from real public records: shared by
the tests of the vulnerability and malicious rules, the engine and the reports.

Sources (read 2026-12): github/advisory-database advisories/github-reviewed/2024/05/GHSA-9wx4-h78v-vm56 and
2023/05/GHSA-j8r2-6x86-q33q (CVSS vectors CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:H/I:H/A:N = 5.6 and
CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:C/C:H/I:N/A:N = 6.1, both "MODERATE"); pypa/advisory-database
vulns/requests/PYSEC-2023-74.yaml (no severity; aliases CVE-2023-32681 and GHSA-j8r2-6x86-q33q); ossf/malicious-
packages osv/malicious/pypi/litellm/MAL-2026-2144.json (litellm 1.82.7 and 1.82.8; alias PYSEC-2026-2; no severity,
no fix; the record itself is in tests/registries/fixtures/osv_db/). CRITICAL's and UNRATED's ids are invented.
"""

from __future__ import annotations

from checker.model import Advisory

SESSION_VERIFY = Advisory(
    "GHSA-9wx4-h78v-vm56", ("CVE-2024-35195",),
    "Requests `Session` object does not verify requests after making first request with verify=False",
    "moderate", 5.6, "2.32.2", False, "https://osv.dev/vulnerability/GHSA-9wx4-h78v-vm56",
)
PROXY_LEAK = Advisory(
    "GHSA-j8r2-6x86-q33q", ("CVE-2023-32681",), "Unintended leak of Proxy-Authorization header in requests",
    "moderate", 6.1, "2.31.0", False, "https://osv.dev/vulnerability/GHSA-j8r2-6x86-q33q",
)
# The same vulnerability in the PyPA database: no severity of its own, the GHSA among its aliases.
PROXY_LEAK_PYSEC = Advisory(
    "PYSEC-2023-74", ("CVE-2023-32681", "GHSA-j8r2-6x86-q33q"), "", fixed="2.31.0",
    url="https://osv.dev/vulnerability/PYSEC-2023-74",
)
CRITICAL = Advisory("GHSA-aaaa-bbbb-cccc", ("CVE-2026-0001",), "Remote code execution in the parser", "critical", 9.8,
                    "3.0.1", False, "https://osv.dev/vulnerability/GHSA-aaaa-bbbb-cccc")
UNRATED = Advisory("PYSEC-2026-1", (), "Fresh report, not rated yet", fixed=None,
                   url="https://osv.dev/vulnerability/PYSEC-2026-1")
MALWARE = Advisory(
    "MAL-2026-2144", ("PYSEC-2026-2",), "Malicious code in litellm (PyPI)", malicious=True,
    url="https://osv.dev/vulnerability/MAL-2026-2144",
)
