"""`python -m bot export`: the data for Dinsos as JSON, or as a ZIP with one CSV per table."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from typing import Any

Tables = dict[str, list[dict[str, Any]]]


def to_json(tables: Tables) -> bytes:
    return (json.dumps(tables, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


# Lists inside a JSON table that become their own CSV table, linked by the parent's id.
NESTED = {"announcements": "deliveries", "reports": "versions", "evaluations": "versions", "xlsforms": "submissions",
          "program_plans": "programs"}  # fmt: skip


def _flat(tables: Tables) -> Tables:
    """CSV has no nesting: each NESTED list becomes a table of its own ('announcements_deliveries')."""
    flat: Tables = {}
    for name, rows in tables.items():
        child = NESTED.get(name)
        flat[name] = [{k: _cell(v) for k, v in row.items() if k != child} for row in rows]
        if child:
            flat[f"{name}_{child}"] = [{f"{name}_id": row["id"], **item} for row in rows for item in row[child]]
    return flat


def _cell(value: Any) -> Any:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, list | dict) else value


def to_csv_zip(tables: Tables) -> bytes:
    """One CSV per table; UTF-8 with a BOM so Excel on the Dinsos laptops shows Indonesian names right."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, rows in _flat(tables).items():
            text = io.StringIO()
            if rows:
                writer = csv.DictWriter(text, fieldnames=list(rows[0].keys()))
                writer.writeheader()
                writer.writerows(rows)
            archive.writestr(f"{name}.csv", "\ufeff" + text.getvalue())
    return buffer.getvalue()


FORMATS = {"json": to_json, "csv": to_csv_zip}
