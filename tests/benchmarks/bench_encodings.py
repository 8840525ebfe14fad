"""How often each way of guessing an encoding gets real text right (run on demand, never in the suite).

    .venv/bin/python tests/benchmarks/bench_encodings.py                     # the repository's texts
    .venv/bin/python tests/benchmarks/bench_encodings.py --corpus DIR [...]  # and every text file below DIR
    .venv/bin/python tests/benchmarks/bench_encodings.py --corpus DIR --wrong 20   # show what went wrong

Real texts (the sample transcripts, the shipped catalog, the raw page, and any folder of
subtitle, catalog or text files given with ``--corpus``) are saved again in every encoding
redbox should read: UTF-8 with and without a BOM, UTF-16 and UTF-32 (both byte orders) with
and without a BOM, CP949, EUC-KR and Windows-1252 (each only when the text fits in it).
Every line with non-ASCII characters is also tried alone in the legacy encodings, since
short texts give a detector the least evidence. Texts are also saved in encodings redbox
does not read (Shift_JIS, EUC-JP, GB2312, Big5, KOI8-R, Windows-1251, ISO-8859-2,
Windows-1250: ``foreign``), where the right outcome for redbox is a refusal (the user is told
to save as UTF-8) and the wrong one is other text. Each approach then decodes the bytes:

* ``redbox``: :func:`toolkit.decoding.decode_text` (the ``language:`` header it sniffs is
  the only hint; lines have none);
* ``redbox+lang``: the same, told the document's language as a transcript header would;
* ``before``: the decoder before evidence-based choice (``git show main:toolkit/decoding.py``,
  or ``--baseline FILE``), when it can be found;
* ``charset-normalizer``: ``from_bytes(data).best()`` (when the package is installed);
* ``redbox, else c-n``: redbox, and charset-normalizer's answer where redbox refuses.

A result is right when its text, with LF line ends and in NFC, equals the original's;
wrong when it is other text; refused when there is none. A file whose original encoding is
not UTF-8 is read with the encoding its name or BOM gives (``windows-1252.srt``), or skipped.
"""

from __future__ import annotations

import argparse
import codecs
import importlib.util
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from toolkit.decoding import decode_text, sniff_language  # noqa: E402
from toolkit.errors import DecodeError  # noqa: E402

REPO_TEXTS = (
    "transcripts",
    "tests/data/transcripts",
    "tests/data/raw",
    "tests/data/catalog",
    "locales",
)
SUFFIXES = (".txt", ".srt", ".vtt", ".po", ".pot", ".md")

#: (variant name, how to make its bytes from text); ``None`` when the text does not fit.
VARIANTS: dict[str, Callable[[str], bytes]] = {
    "utf-8": lambda text: text.encode("utf-8"),
    "utf-8 BOM": lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
    "utf-16-le BOM": lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
    "utf-16-be BOM": lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
    "utf-32-le BOM": lambda text: codecs.BOM_UTF32_LE + text.encode("utf-32-le"),
    "utf-32-be BOM": lambda text: codecs.BOM_UTF32_BE + text.encode("utf-32-be"),
    "utf-16-le": lambda text: text.encode("utf-16-le"),
    "utf-16-be": lambda text: text.encode("utf-16-be"),
    "utf-32-le": lambda text: text.encode("utf-32-le"),
    "utf-32-be": lambda text: text.encode("utf-32-be"),
    "cp949": lambda text: text.encode("cp949"),
    "euc-kr": lambda text: text.encode("euc-kr"),
    "windows-1252": lambda text: text.encode("cp1252"),
}
LEGACY = ("cp949", "euc-kr", "windows-1252")
#: Encodings redbox does not read: the right outcome is the text or a refusal, never other text.
FOREIGN = ("shift_jis", "euc-jp", "gb2312", "big5", "koi8-r", "windows-1251", "iso-8859-2", "windows-1250")


@dataclass(frozen=True)
class Case:
    source: str
    kind: str  # "file" or "line"
    variant: str
    data: bytes
    expected: str
    language: str | None


def canonical(text: str) -> str:
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def original_text(path: Path) -> str | None:
    """A file's real text: UTF-8, its BOM's encoding, or the encoding its name gives."""
    data = path.read_bytes()
    for bom, encoding in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                          (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(encoding)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for part in path.stem.replace("_", "-").split("."):
        try:
            codecs.lookup(part)
        except LookupError:
            continue
        try:
            return data.decode(part)
        except UnicodeDecodeError:
            return None
    return None


def document_language(path: Path, text: str) -> str:
    """The language a transcript header would declare: the text's own header, else its script."""
    declared = sniff_language(text.encode("utf-8", "replace"))
    if declared:
        return declared
    letters = [char for char in text if char.isalpha()]
    hangul = sum(1 for char in letters if "\uac00" <= char <= "\ud7a3")
    # A Korean catalog's English msgids outnumber its Hangul letters: any real share of Hangul counts.
    return "ko" if letters and hangul / len(letters) > 0.05 else "en"


def gather(paths: list[Path], lines_per_file: int) -> tuple[list[Case], int]:
    cases: list[Case] = []
    files = 0
    for base in paths:
        found = [base] if base.is_file() else sorted(p for p in base.rglob("*") if p.is_file())
        for path in found:
            if not path.name.endswith(SUFFIXES):
                continue
            text = original_text(path)
            if text is None or not text.strip():
                continue
            files += 1
            expected = canonical(text)
            language = document_language(path, expected)
            name = str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)
            utf8 = expected.encode("utf-8")
            supported: set[bytes] = set()
            for variant, make in VARIANTS.items():
                try:
                    data = make(expected)
                except UnicodeEncodeError:
                    continue
                supported.add(data)
                if variant in LEGACY and data == utf8:
                    continue  # ASCII: the same bytes as UTF-8, counted once
                cases.append(Case(name, "file", variant, data, expected, language))
            for variant in FOREIGN:
                try:
                    data = expected.encode(variant)
                except UnicodeEncodeError:
                    continue
                if data not in supported:  # German in ISO-8859-2 is Windows-1252 too: not foreign
                    cases.append(Case(name, "foreign", variant, data, expected, language))
            wide_lines = [line.strip() for line in expected.split("\n") if not line.isascii()]
            for number, line in enumerate(wide_lines[:lines_per_file]):
                for variant in LEGACY:
                    try:
                        data = VARIANTS[variant](line)
                    except UnicodeEncodeError:
                        continue
                    cases.append(Case(f"{name}#{number}", "line", variant, data, line, language))
    return cases, files


def load_baseline(path: Path | None) -> ModuleType | None:
    """The decoder as it was on main (or in ``path``), loaded as its own module."""
    if path is None:
        try:
            source = subprocess.run(
                ["git", "-C", str(ROOT), "show", "main:toolkit/decoding.py"],
                check=True, capture_output=True, text=True,
            ).stdout
        except (OSError, subprocess.CalledProcessError):
            return None
        if "sniff_language" in source:
            return None  # main already has this decoder: nothing older to compare with
        with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False, encoding="utf-8") as handle:
            handle.write(source)
        path = Path(handle.name)
    spec = importlib.util.spec_from_file_location("baseline_decoding", path)
    if spec is None or spec.loader is None:
        return None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


Decoder = Callable[[Case], str | None]


def approaches(baseline: ModuleType | None) -> dict[str, Decoder]:
    def redbox(case: Case) -> str | None:
        try:
            return decode_text(case.data).text
        except DecodeError:
            return None

    def redbox_language(case: Case) -> str | None:
        try:
            return decode_text(case.data, language=case.language).text
        except DecodeError:
            return None

    found: dict[str, Decoder] = {"redbox": redbox, "redbox+lang": redbox_language}
    if baseline is not None:
        def main(case: Case) -> str | None:
            try:
                return str(baseline.decode_text(case.data).text)
            except DecodeError:
                return None
            except Exception as error:  # the old decoder raised its own class
                if type(error).__name__ == "DecodeError":
                    return None
                raise

        found["before"] = main
    try:
        from charset_normalizer import from_bytes
    except ImportError:
        print("charset-normalizer is not installed: pip install charset-normalizer", file=sys.stderr)
    else:
        def charset_normalizer(case: Case) -> str | None:
            best = from_bytes(case.data).best()
            return None if best is None else str(best)

        found["charset-normalizer"] = charset_normalizer

        def combined(case: Case) -> str | None:
            text = redbox(case)
            return charset_normalizer(case) if text is None else text

        found["redbox, else c-n"] = combined
    return found


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", type=Path, action="append", default=[],
                        help="a folder (or file) of real texts to add; repeatable")
    parser.add_argument("--no-repo", action="store_true", help="leave out the repository's own texts")
    parser.add_argument("--lines", type=int, default=20, help="lines tried alone per file (default 20)")
    parser.add_argument("--baseline", type=Path, help="an older decoding.py to compare with")
    parser.add_argument("--wrong", type=int, default=0, help="show this many failures of each approach")
    args = parser.parse_args()

    paths = [] if args.no_repo else [ROOT / folder for folder in REPO_TEXTS]
    paths += args.corpus
    cases, files = gather(paths, args.lines)
    decoders = approaches(load_baseline(args.baseline))
    sizes = ", ".join(f"{sum(c.kind == kind for c in cases)} {label}" for kind, label in
                      (("file", "whole files"), ("line", "lines"), ("foreign", "foreign")))
    print(f"{files} texts, {len(cases)} cases ({sizes})\n")

    # outcome[approach][(kind, variant)] = [right, wrong, refused]
    outcome: dict[str, dict[tuple[str, str], list[int]]] = {
        name: defaultdict(lambda: [0, 0, 0]) for name in decoders
    }
    failures: dict[str, list[str]] = {name: [] for name in decoders}
    seconds: dict[str, float] = dict.fromkeys(decoders, 0.0)
    for case in cases:
        for name, decode in decoders.items():
            started = time.perf_counter()
            text = decode(case)
            seconds[name] += time.perf_counter() - started
            counts = outcome[name][(case.kind, case.variant)]
            if text is None:
                counts[2] += 1
                failures[name].append(f"refused {case.variant:14} {case.source}")
            elif canonical(text) == case.expected:
                counts[0] += 1
            else:
                counts[1] += 1
                sample = canonical(text)[:60].replace("\n", " ")
                failures[name].append(f"wrong   {case.variant:14} {case.source}: {sample!r}")

    names = list(decoders)
    header = f"{'':5} {'encoding':14}" + "".join(f"{name:>24}" for name in names)
    print(header + "\n" + "-" * len(header))
    order = [*VARIANTS, *FOREIGN]
    for kind in ("file", "line", "foreign"):
        keys = sorted({key for name in names for key in outcome[name] if key[0] == kind},
                      key=lambda key: order.index(key[1]))
        for key in [*keys, (kind, "all")]:
            row = f"{kind:5} {key[1]:14}"
            for name in names:
                if key[1] == "all":
                    right, wrong, refused = (sum(v[i] for k, v in outcome[name].items() if k[0] == kind)
                                             for i in range(3))
                else:
                    right, wrong, refused = outcome[name][key]
                row += f"{f'{right}/{right + wrong + refused} w{wrong} r{refused}':>24}"
            print(row)
        print()
    print("seconds: " + ", ".join(f"{name} {seconds[name]:.2f}" for name in names))
    for name in names:
        if args.wrong and failures[name]:
            print(f"\n{name}: {len(failures[name])} not right")
            for line in failures[name][: args.wrong]:
                print("  " + line)


if __name__ == "__main__":
    main()
