"""Helpers shared by the table generators scripts/gen_iso2859_tables.py and
scripts/gen_iso3951_tables.py (imported from the scripts' own folder)."""
import csv


def rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def emit_code_letters(records, table, const, codes, levels, levels_text, codes_const):
    """Print LOT_CLASSES (smallest, largest lot; the last class is open) and the
    code-letter table `const` (index into `codes_const`) per lot class and level."""
    print(f"/// {table}: (smallest lot, largest lot) of each lot-size class; the last is open.")
    print(f"pub(super) const LOT_CLASSES: [(u64, u64); {len(records)}] = [")
    for r in records:
        hi = "u64::MAX" if r["lot_max"] == "" else str(int(float(r["lot_max"])))
        print(f"    ({int(float(r['lot_min']))}, {hi}),")
    print("];\n")
    print(f"/// {table}: code letter (index into `{codes_const}`) per lot class and level {levels_text}.")
    print(f"pub(super) const {const}: [[u8; {len(levels)}]; {len(records)}] = [")
    for r in records:
        print("    [" + ", ".join(str(codes.index(r[lv])) for lv in levels) + "],")
    print("];\n")
