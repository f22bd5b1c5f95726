"""The `meis` console script: the project's manage.py.

`meis rules ...` goes straight to meis.rules.cli, before Django or meis.settings is imported: rules
read no database and no secret, so that command needs no environment and starts without booting
the project. Every other subcommand is Django's.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv if argv is None else argv
    if argv[1:2] == ["rules"]:
        from meis.rules.cli import main as rules_main

        sys.exit(rules_main(argv[2:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meis.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
