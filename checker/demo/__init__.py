"""The embedded example that `lockgate demo` runs."""
