"""Jinja templates of the annual notice and the publicity list, shipped as fundledger.templates."""
