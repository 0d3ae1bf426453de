"""Open Referral HSDS 3.0 CSV in and out for the social map (ADR 0009).

A package is a folder (or ZIP) with organizations.csv, services.csv, locations.csv, service_at_location.csv,
phones.csv, schedules.csv and service_areas.csv, using the HSDS column names. What HSDS has no column for is
carried in `balie_*` extension columns (the national codes a service helps with, languages, walk-in or
appointment, the address of a location), as HSDS profiles allow. service_areas name a municipality by its CBS
code in `extent` (extent_type "text").

The import checks every row of every file first and saves nothing unless all of it is right; each error
names the file, the line, the column and the reason in Dutch. Entries are matched on their HSDS id within
the library organisation, so importing the same package twice changes nothing.

HSDS JSON (one object, an array, an API page, or the tabular form) is flattened into the same rows by `jsonread` and
then checked and saved like CSV; its errors name the file and a JSON path instead of a line and column.

The package has one module per step: `schema` (the file format and its error types), `read` (folder, uploads,
ZIP, datapackage.json dialects), `jsonparse` and `jsonread` (HSDS JSON as rows), `validate` (every row of every file),
`write` (saving a checked package) and `export`.
"""

from .export import export_package, export_zip
from .read import read_dir, read_uploads
from .schema import DAY_CODES, DAYS, FILES, REQUIRED_COLUMNS, RESOURCES, HsdsRejected, ImportResult, normalise_phone, organisation_option
from .validate import check
from .write import import_package

__all__ = [
    "DAYS", "DAY_CODES", "FILES", "REQUIRED_COLUMNS", "RESOURCES", "HsdsRejected", "ImportResult", "check", "export_package", "export_zip",
    "import_package", "normalise_phone", "organisation_option", "read_dir", "read_uploads",
]
