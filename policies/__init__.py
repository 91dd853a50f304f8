"""Policy presets shipped with lockgate (installed as ``checker.policies``)."""
