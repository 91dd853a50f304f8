"""Property tests (hypothesis) across every parser and the policy loader: any input gives a result or a clean error
naming the file, never another exception and never a hang, and a 1 MB pathological line is read in linear time.
Profiles and the hang guard: tests/hypothesis_profiles.py. The seeds are the fixtures of tests/manifests/fixtures/
(and tests/fixtures/zizmor_oracle/) and the shared corpus when present."""
