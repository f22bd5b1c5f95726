"""The production static-file storage: WhiteNoise's compressed, hashed copies.

The compiled third-party scripts (`meis/static/meis/js/*.min.js`) end in a `sourceMappingURL`
comment, but their source maps are not shipped; Django's manifest storage rewrites those
comments to hashed names and stops `collectstatic` on the first map it cannot find. Only the
style sheets' `url()` and `@import` references are rewritten here: a browser asks for a missing
map only while its developer tools are open, and gets a 404.
"""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class CompressedManifestStorage(CompressedManifestStaticFilesStorage):  # type: ignore[misc]
    patterns = (
        (
            "*.css",
            (
                r"""(?P<matched>url\(['"]{0,1}\s*(?P<url>.*?)["']{0,1}\))""",
                (
                    r"""(?P<matched>@import\s*["']\s*(?P<url>.*?)["'])""",
                    """@import url("%(url)s")""",
                ),
            ),
        ),
    )
