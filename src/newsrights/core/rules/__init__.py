"""Packaged rules data: the publisher's declaration (``cri.toml``) and the parser's vocabulary."""
