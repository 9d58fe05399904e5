"""newsetl turns the news into data: dated article texts, quotes and claims in DuckDB.

The package has one import root with three floors, each mapped at install time onto the
project's top-level folder of the same name:

- ``newsetl.extract`` (``extract/``): pure code, text or bytes in, frozen records out;
- ``newsetl.warehouse`` (``warehouse/``): DuckDB schema, migrations, loads; the only SQL;
- ``newsetl.flows`` (``flows/``): HTTP, settings, Prefect flows and the CLI.
"""

from newsetl.errors import NewsetlError

__all__ = ["NewsetlError"]
