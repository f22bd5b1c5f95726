"""Documentation that tests keep honest: every environment variable is documented."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_every_environment_variable_read_by_the_settings_is_documented():
    settings_source = (ROOT / "meis" / "settings.py").read_text()
    read = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z_]+)"', settings_source))
    documented = set(
        re.findall(r"^\| `([A-Z_]+)` \|", (ROOT / "docs" / "configuration.md").read_text(), re.M)
    )
    assert read, "the pattern no longer finds the settings' variables"
    assert read - documented == set()
