"""`meis catalog import [FILE]` and `meis catalog export [--output FILE]`.

The seed catalogue (meis/catalog/seed/catalogue.yaml) is imported when no file is given.
Import is all-or-nothing and idempotent: a service whose definition did not change gets no new
version. Errors are one line: where in the file, and what is wrong.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from meis.catalog.services import SEED_FILE, CatalogueError, catalog_export, catalog_import


class Command(BaseCommand):
    help = "Move the e-services catalogue between installations as YAML."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        load = actions.add_parser("import", help="Import a catalogue YAML file (idempotent).")
        load.add_argument("file", nargs="?", type=Path, default=SEED_FILE)
        dump = actions.add_parser("export", help="Write the catalogue as YAML.")
        dump.add_argument("--output", "-o", type=Path, help="File to write (default: stdout).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "import":
            self.import_file(options["file"])
        else:
            self.export(options["output"])

    def import_file(self, path: Path) -> None:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from None
        try:
            result = catalog_import(text=text)
        except CatalogueError as error:
            raise CommandError(f"{path}: {error}") from None
        self.stdout.write(
            f"Imported {result.services} services and {result.life_situations} life situations; "
            f"{result.versions_created} new versions."
        )

    def export(self, output: Path | None) -> None:
        text = catalog_export()
        if output is None:
            self.stdout.write(text, ending="")
            return
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error}") from None
        self.stdout.write(f"Wrote {output}.")
