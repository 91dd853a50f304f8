"""Tests of checker/demo/: ``lockgate demo``, the March 2026 scenario, offline from the data shipped with the
package."""
