"""Benchmark: ``redbox align --lang ko`` on recorded Korean voices (issue 12), against aeneas-ng.

Run on demand (not collected by pytest)::

    .venv/bin/python tests/benchmarks/bench_align_korean_real.py [--deeply CORPUS]
        [--aeneas AENEAS_VENV/bin/python] [--only ko_anechoic,ko_pico] [--keep DIR]

Sets, each one WAV, one English transcript and its Korean catalog (``--lang ko``, the way
an episode of the Red Box is timed: the voices speak Korean, the transcript is English):

* ``ko_pico``: the Korean recordings in ``tests/data/realspeech_ko/`` (Apache-2.0, see its
  README), joined with 0.4-0.8 s of their own room tone. Always built.
* ``ko_anechoic``, ``ko_studio``, ``ko_dance`` (and ``_gaps``, ``_white15``): only with
  ``--deeply CORPUS``, a checkout of the Deeply Korean Read Speech Corpus sample
  (github.com/deeplyinc/Korean-Read-Speech-Corpus, CC BY-NC-ND 4.0: read here, never copied
  into this repository). Two women (20 and 49) read ten short dialogues taking turns, 45
  turns, in an anechoic chamber, a studio flat (moderate reverberation) and a dance
  studio (strong reverberation), recorded by a phone 0.4 m away. Clips joined as recorded;
  ``_gaps`` adds 0.6-1.5 s of the clip's own room tone between clips; ``_white15`` adds white
  noise 15 dB under the speech level.

Truth: clip offset + the speech onset inside the clean clip, found by an energy detector
with hysteresis (:func:`clip_speech_bounds`, the method of the English real-speech sets) and
checked by eye on spectrograms (``tests/data/realspeech_ko/README.md``).

Printed per set and aligner: start error |found - truth| in ms (mean / median / p90 / max),
the share of turns within 250 and 500 ms, turns more than 500 ms off and how many of those
redbox flagged (any ``ALN`` warning at the turn's line), false flags (turns within 250 ms
flagged all the same), and wall time. aeneas-ng (AGPL) runs only as an external command
from its own virtual environment, with the settings of ``bench_align.py``.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt
import soundfile

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "realspeech_ko"
RATE = 16000
REDBOX = Path(sys.executable).with_name("redbox")
DIALOGUES = ["aa", "ab", "ac", "ad", "ae", "af", "ag", "ah", "ai", "aj"]
ROOMS = {"anechoic": "AnechoicChamber", "studio": "AirbnbStudio", "dance": "DanceStudio"}
NAMES_KO = {"Ara": "아라", "Bora": "보라", "Jiho": "지호", "Minseo": "민서", "Seojun": "서준"}

Samples = npt.NDArray[np.float64]


# ---------------------------------------------------------------- onsets
def frame_db(x: Samples, hop: int = 160, win: int = 320) -> Samples:
    """Frame energy in dB (10 ms hop, 20 ms window) after a one-pole high-pass at 80 Hz."""
    a = float(np.exp(-2 * np.pi * 80 / RATE))
    # y[n] = a * (y[n-1] + x[n] - x[n-1]), as a first-order IIR run in blocks by numpy
    dx = np.diff(x, prepend=0.0)
    y = np.empty_like(x)
    prev = 0.0
    block = 4096
    powers = a ** np.arange(1, block + 1)
    for begin in range(0, len(x), block):
        chunk = dx[begin : begin + block]
        n = len(chunk)
        # closed form of the recurrence inside one block: a convolution with a^k
        kernel = a ** np.arange(n)
        out = np.convolve(chunk, kernel)[:n] * a + 0.0
        out += prev * powers[:n]
        y[begin : begin + n] = out
        prev = float(out[-1])
    count = max(1, 1 + (len(y) - win) // hop)
    index = np.minimum(np.arange(win)[None, :] + hop * np.arange(count)[:, None], len(y) - 1)
    energy = (y[index] ** 2).mean(axis=1)
    return np.asarray(10 * np.log10(energy + 1e-12), dtype=np.float64)


def clip_speech_bounds(x: Samples) -> tuple[int, int]:
    """Speech onset and offset (ms) inside a clean single-utterance clip.

    Frames above floor + max(15 dB, 40 % of the floor-to-peak range) are surely speech; the
    first (last) run of at least 50 ms of them is walked back (forward) while the energy stays
    8 dB over the floor, at most 200 ms (250 ms): a soft onset (a fricative, an /h/) is kept,
    an audible in-breath before it is not.
    """
    db = frame_db(x)
    floor = float(np.percentile(db, 5))
    peak = float(np.percentile(db, 98))
    high = floor + max(15.0, 0.4 * (peak - floor))
    low = floor + 8.0
    loud = db >= high
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(loud):
        if loud[i]:
            j = i
            while j < len(loud) and loud[j]:
                j += 1
            if j - i >= 5:
                runs.append((i, j))
            i = j
        else:
            i += 1
    first, last = runs[0][0], runs[-1][1] - 1
    start, end = first, last
    while first > 0 and db[first - 1] >= low and start - first < 20:
        first -= 1
    while last < len(db) - 1 and db[last + 1] >= low and last - end < 25:
        last += 1
    return first * 10 + 5, (last + 1) * 10 + 5


# ---------------------------------------------------------------- sets
@dataclass
class Clip:
    audio: Samples
    korean: str
    speaker: str
    source: str
    onset_ms: int
    offset_ms: int


@dataclass
class Built:
    name: str
    audio: Samples
    turns: list[dict[str, object]]
    note: str


def read_mono(path: Path) -> Samples:
    samples, rate = soundfile.read(path, dtype="float64", always_2d=True)
    mono: Samples = samples.mean(axis=1)
    if rate != RATE:
        raise SystemExit(f"{path}: {rate} Hz, expected {RATE}")
    return mono


def room_tone(clip: Clip, gap_ms: int) -> Samples:
    """``gap_ms`` of the clip's own background: its tail after the speech, mirrored and tiled."""
    x = clip.audio
    begin = min(len(x) - 800, clip.offset_ms * RATE // 1000 + 800)
    tail = x[begin:] if len(x) - begin >= 800 else x[-800:]
    unit = np.concatenate([tail, tail[::-1]])
    n = gap_ms * RATE // 1000
    return np.tile(unit, -(-n // len(unit)))[:n]


def concat(clips: list[Clip], gaps_ms: list[int] | None = None) -> tuple[Samples, list[dict[str, object]]]:
    pieces: list[Samples] = []
    turns: list[dict[str, object]] = []
    at = 0
    for k, clip in enumerate(clips):
        if gaps_ms is not None and k > 0:
            gap = room_tone(clips[k - 1], gaps_ms[k])
            pieces.append(gap)
            at += len(gap)
        pieces.append(clip.audio)
        offset_ms = round(at * 1000 / RATE)
        turns.append(
            {
                "speaker": clip.speaker,
                "korean": clip.korean,
                "source": clip.source,
                "start_ms": offset_ms + clip.onset_ms,
                "end_ms": offset_ms + clip.offset_ms,
            }
        )
        at += len(clip.audio)
    return np.concatenate(pieces), turns


def active_rms(x: Samples) -> float:
    n = len(x) // 160
    energy = (x[: n * 160].reshape(n, 160) ** 2).mean(axis=1)
    return float(np.sqrt(np.sort(energy)[n // 2 :].mean()))


def with_white_noise(x: Samples, snr_db: float) -> Samples:
    noise = np.random.default_rng(1234).standard_normal(len(x))
    y: Samples = x + noise * active_rms(x) / (np.sqrt((noise**2).mean()) * 10 ** (snr_db / 20))
    peak = float(np.abs(y).max())
    return y / peak * 0.9 if peak > 0.99 else y


def pico_clips() -> list[Clip]:
    listing = json.loads((DATA / "clips.json").read_text(encoding="utf-8"))
    clips = []
    for entry in listing:
        audio = read_mono(DATA / entry["file"])
        clips.append(Clip(audio, entry["korean"], entry["speaker"], entry["file"],
                          entry["onset_ms"], entry["offset_ms"]))  # fmt: skip
    return clips


#: Clips where the corpus itself is cut wrong, checked on spectrograms and against the same
#: dialogue line in the other two rooms: in the dance studio, ``ae1`` (7.0 s, 8.0-9.0 s
#: elsewhere) and ``af0`` (6.4 s, 8.3-8.5 s elsewhere) lose their last phrase to the next
#: clip, and ``ae2``/``ae3`` pass it on once more (``ae3``: 4.4 s, 2.7-2.9 s elsewhere). Such
#: a clip opens with the previous line's last words; its own line starts after them, at the
#: onset given here (ms in the clip, the detector run from after the foreign phrase). Both
#: aligners put these three turns within 55 ms of these onsets.
ONSET_OVERRIDES = {
    "DanceStudio/sub100110a00020.wav": 2025,  # 0.22-1.37 s: 따로 보낼 수 있죠? (the end of ae1)
    "DanceStudio/sub100110a00021.wav": 1645,  # 0-1.31 s: ... 하실 건가요? (the end of ae2)
    "DanceStudio/sub100110a00025.wav": 1745,  # 0.05-1.2 s: the last phrase of af0
}


def deeply_clips(corpus: Path, room: str) -> list[Clip]:
    folder = corpus / "dataset" if (corpus / "dataset").is_dir() else corpus
    meta = json.loads((folder / "Korean_Read_Speech_Corpus_sample.json").read_text(encoding="utf-8"))[room]
    chosen = [k for k in meta if meta[k]["text_code"][:2] in DIALOGUES and meta[k]["voice_sentiment"] == -1]
    chosen.sort(key=lambda k: (DIALOGUES.index(meta[k]["text_code"][:2]), int(meta[k]["text_code"][2:])))
    names = {"a": "Ara", "b": "Bora"}
    clips = []
    for key in chosen:
        audio = read_mono(folder / room / f"{key}.wav")
        onset, offset = clip_speech_bounds(audio)
        onset = ONSET_OVERRIDES.get(f"{room}/{key}.wav", onset)
        clips.append(
            Clip(audio, meta[key]["text"], names[meta[key]["speaker"]], f"{room}/{key}.wav", onset, offset)
        )
    return clips


def build_sets(deeply: Path | None, only: list[str]) -> list[Built]:
    def wanted(name: str) -> bool:
        return not only or any(name.startswith(prefix) for prefix in only)

    sets: list[Built] = []
    if wanted("ko_pico") and (DATA / "clips.json").is_file():
        clips = pico_clips()
        gaps = [int(g) for g in np.random.default_rng(5).integers(400, 800, len(clips))]
        audio, turns = concat(clips, gaps)
        sets.append(
            Built("ko_pico", audio, turns, "tests/data/realspeech_ko clips with room tone between them")
        )
    if deeply is None:
        return sets
    rng = np.random.default_rng(7)
    for short, room in ROOMS.items():
        name = f"ko_{short}"
        if not any(wanted(n) for n in (name, f"{name}_gaps", f"{name}_white15")):
            continue
        clips = deeply_clips(deeply, room)
        audio, turns = concat(clips)
        note = f"Deeply sample, {room}, two readers taking turns, clips as recorded"
        if wanted(name):
            sets.append(Built(name, audio, turns, note))
        if wanted(f"{name}_white15"):
            sets.append(
                Built(f"{name}_white15", with_white_noise(audio, 15), turns, note + ", white noise 15 dB")
            )
        gaps = [int(g) for g in rng.integers(600, 1500, len(clips))]
        if wanted(f"{name}_gaps"):
            audio_g, turns_g = concat(clips, gaps)
            sets.append(
                Built(f"{name}_gaps", audio_g, turns_g, note + ", 0.6-1.5 s of room tone between clips")
            )
    return sets


# ---------------------------------------------------------------- the project redbox aligns
def po_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_project(folder: Path, built: Built) -> tuple[str, list[int]]:
    """An English transcript (one placeholder line per turn) and its Korean catalog, made
    with redbox's own ``catalog extract`` / ``init`` and filled with the Korean each voice reads."""
    slug = built.name.replace("_", "-")
    for sub in ("transcripts", "locales", "subtitles"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    speakers = sorted({str(t["speaker"]) for t in built.turns})
    lines = [
        "---",
        f"title: {built.name}",
        f"episode: {slug}",
        "language: en",
        f"speakers: {', '.join(speakers)}",
        "---",
    ]
    english = [f"Line {k + 1} of the reading." for k in range(len(built.turns))]
    lines += [f"{t['speaker']}: {text}" for t, text in zip(built.turns, english, strict=True)]
    (folder / "transcripts" / f"{slug}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for args in (["catalog", "extract"], ["catalog", "init", "ko"]):
        done = subprocess.run([str(REDBOX), *args], cwd=folder, capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"redbox {' '.join(args)}: {done.stdout}{done.stderr}")
    po = folder / "locales" / "ko" / "LC_MESSAGES" / f"{slug}.po"
    text = po.read_text(encoding="utf-8")
    for source, korean in [*zip(english, (str(t["korean"]) for t in built.turns), strict=True),
                           *((name, NAMES_KO.get(name, name)) for name in speakers)]:  # fmt: skip
        pattern = f'msgid {po_string(source)}\nmsgstr ""'
        if pattern not in text:
            raise SystemExit(f"{po}: no entry for {source!r}")
        text = text.replace(pattern, f"msgid {po_string(source)}\nmsgstr {po_string(korean)}", 1)
    po.write_text(text, encoding="utf-8")
    soundfile.write(folder / "audio.wav", built.audio.astype(np.float32), RATE, subtype="PCM_16")
    (folder / "plain.txt").write_text(
        "\n".join(str(t["korean"]) for t in built.turns) + "\n", encoding="utf-8"
    )
    return slug, [7 + k for k in range(len(built.turns))]


def hms_ms(text: str) -> int:
    h, m, s = text.split(":")
    return round((int(h) * 3600 + int(m) * 60 + float(s)) * 1000)


@dataclass
class Run:
    starts: list[int]
    seconds: float
    flagged_lines: set[int] = field(default_factory=set)
    failure: str = ""


def run_redbox(folder: Path, slug: str) -> Run:
    tsv = folder / "transcripts" / f"{slug}.timings.tsv"
    began = time.perf_counter()
    done = subprocess.run(
        [str(REDBOX), "align", f"transcripts/{slug}.txt", "audio.wav", "--lang", "ko", "--no-progress"],
        cwd=folder, capture_output=True, text=True,
    )  # fmt: skip
    seconds = time.perf_counter() - began
    (folder / "redbox.log").write_text(done.stdout + done.stderr, encoding="utf-8")
    if done.returncode != 0 or not tsv.is_file():
        return Run([], seconds, failure=(done.stderr.strip().splitlines() or ["failed"])[-1])
    starts: list[int] = []
    names: list[str] = []
    for line in tsv.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        cols = line.split("\t")
        if not names:
            names = cols
            continue
        starts.append(hms_ms(dict(zip(names, cols, strict=False))["start"]))
    flagged = {int(m[1]) for m in re.finditer(rf"{re.escape(slug)}\.txt:(\d+):\d+: warning ALN", done.stderr)}
    return Run(starts, seconds, flagged)


def run_aeneas(python: str, folder: Path) -> Run:
    target = folder / "aeneas.json"
    config = (
        "task_language=kor|is_text_type=plain|os_task_file_format=json|is_audio_file_detect_head_max=3.0"
        "|task_adjust_boundary_nonspeech_min=0.200|task_adjust_boundary_nonspeech_string=REMOVE"
    )
    runtime = "tts=espeak-ng|ffmpeg_sample_rate=22050|allow_unlisted_languages=True|tts_voice_code=ko"
    began = time.perf_counter()
    done = subprocess.run(
        [python, "-m", "aeneas.tools.execute_task", str(folder / "audio.wav"), str(folder / "plain.txt"),
         config, str(target), f"-r={runtime}"],
        capture_output=True, text=True,
        env={"PYTHONIOENCODING": "UTF-8", "PATH": "/usr/local/bin:/usr/bin:/bin"},
    )  # fmt: skip
    seconds = time.perf_counter() - began
    if done.returncode != 0 or not target.is_file():
        return Run([], seconds, failure=(done.stderr.strip().splitlines() or ["failed"])[-1])
    fragments = json.loads(target.read_text(encoding="utf-8"))["fragments"]
    return Run([round(float(f["begin"]) * 1000) for f in fragments], seconds)


# ---------------------------------------------------------------- scores
def score(name: str, aligner: str, truth: list[int], lines: list[int], run: Run) -> dict[str, object]:
    if run.failure or len(run.starts) != len(truth):
        return {"set": name, "aligner": aligner, "failed": run.failure or f"{len(run.starts)} starts"}
    errors = np.abs(np.array(run.starts) - np.array(truth))
    off = [k for k, e in enumerate(errors) if e > 500]
    right = [k for k, e in enumerate(errors) if e <= 250]
    return {
        "set": name,
        "aligner": aligner,
        "turns": len(truth),
        "mean": round(float(errors.mean())),
        "median": round(float(np.median(errors))),
        "p90": round(float(np.percentile(errors, 90))),
        "max": int(errors.max()),
        "within250": round(100 * float((errors <= 250).mean())),
        "within500": round(100 * float((errors <= 500).mean())),
        "off500": len(off),
        "off500_flagged": sum(1 for k in off if lines[k] in run.flagged_lines),
        "false_flags": sum(1 for k in right if lines[k] in run.flagged_lines),
        "seconds": round(run.seconds, 1),
        "errors": [int(e) for e in errors],
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--deeply", type=Path, help="a checkout of deeplyinc/Korean-Read-Speech-Corpus")
    parser.add_argument("--aeneas", help="python of a virtual environment with aeneas-ng")
    parser.add_argument("--only", default="", help="comma-separated set name prefixes")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it (default: a temp dir)")
    parser.add_argument("--json", type=Path, help="also write every score here")
    args = parser.parse_args()
    sets = build_sets(args.deeply, [s for s in args.only.split(",") if s])
    rows = []
    with tempfile.TemporaryDirectory(prefix="redbox-ko-real-") as scratch:
        base = args.keep or Path(scratch)
        for built in sets:
            folder = base / built.name
            slug, lines = write_project(folder, built)
            truth = [int(str(t["start_ms"])) for t in built.turns]
            (folder / "truth.json").write_text(
                json.dumps(built.turns, ensure_ascii=False, indent=1), encoding="utf-8"
            )
            rows.append(score(built.name, "redbox", truth, lines, run_redbox(folder, slug)))
            if args.aeneas:
                rows.append(score(built.name, "aeneas-ng", truth, lines, run_aeneas(args.aeneas, folder)))
            print(json.dumps({k: v for k, v in rows[-1].items() if k != "errors"}), file=sys.stderr)
    print("| set (turns) | aligner | mean / median / p90 / max (ms) | within 250 / 500 ms | "
          "> 500 ms off / flagged | false flags | wall s |")  # fmt: skip
    print("|---|---|---|---|---|---|---|")
    for row in rows:
        if "failed" in row:
            print(f"| {row['set']} | {row['aligner']} | failed: {row['failed']} | | | | |")
            continue
        print(
            f"| `{row['set']}` ({row['turns']}) | {row['aligner']} | {row['mean']} / {row['median']} / "
            f"{row['p90']} / {row['max']} | {row['within250']} % / {row['within500']} % | "
            f"{row['off500']} / {row['off500_flagged'] if row['aligner'] == 'redbox' else '-'} | "
            f"{row['false_flags'] if row['aligner'] == 'redbox' else '-'} | {row['seconds']} |"
        )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
