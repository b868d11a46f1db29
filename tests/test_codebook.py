"""docs/codebook.md documents every table, field and vocabulary value of the descriptor."""

from __future__ import annotations

from conftest import ROOT

import aoav_data


def test_codebook_covers_the_descriptor() -> None:
    text = (ROOT / "docs" / "codebook.md").read_text(encoding="utf-8")
    for res in aoav_data.metadata()["resources"]:
        assert f"### `{res['name']}`" in text
        for field in res["schema"]["fields"]:
            assert f"| `{field['name']}` | {field['type']} |" in text, (res["name"], field["name"])
            for category in field.get("categories", []):
                assert f"| `{category['value']}` |" in text, category
    for section in ("## Curation method", "best, low and high", "## Precision scales and crosswalks"):
        assert section in text


def test_readme_links_the_codebook() -> None:
    assert "docs/codebook.md" in (ROOT / "README.md").read_text(encoding="utf-8")
