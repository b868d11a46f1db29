"""Curation side of aoav-data: turns sources and curated records into the published files.

The runtime package `aoav_data` never imports this package; it reads only what
this package publishes (csv/, datapackage.json).
"""
