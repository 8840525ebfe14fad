"""Measure the voice check (docs/voices.md) on real recordings with known speakers.

Run on demand (not collected by pytest)::

    .venv/bin/python tests/benchmarks/voices_accuracy.py --mfa MFA_DIR --librivox LIBRIVOX_DIR \
        --fsdd FSDD_RECORDINGS_DIR --music MUSIC_FILE [--trials 30] [--json out.json]

Sources (public, see docs/voices.md for licences): the Montreal Forced Aligner's test
recordings (one speaker, 28 clips), the LibriVox clips of Debian's ``pocketsphinx-testdata``
(one reader), the Free Spoken Digit Dataset (six speakers, 50 recordings of each digit)
and a music bed (any file ffmpeg decodes, e.g. ``pingus-data``'s ``rough_journey.it``).

Episodes are built by joining clips, each one a turn with its true speaker; labels are
then flipped at random (1, 3 or 5 per trial) and the check is run. For every set and
noise (clean, white noise and music 15 dB under the speech level) it prints the share of
flipped turns flagged and of correct turns flagged, at several margins, by turn length.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import numpy.typing as npt
import soundfile

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from toolkit.voices.check import VoiceOptions, VoiceTurn, check_voices  # noqa: E402
from toolkit.voices.features import voice_frames  # noqa: E402

RATE = 16000
Samples = npt.NDArray[np.float32]
MARGINS = (0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0)


def decode(path: Path) -> Samples:
    """Mono float32 at 16 kHz: WAV/FLAC at 16 or 8 kHz directly (8 kHz doubled by linear
    interpolation: the band stays 4 kHz wide), anything else through ffmpeg."""
    if path.suffix in (".wav", ".flac"):
        samples, rate = soundfile.read(path, dtype="float32", always_2d=True)
        mono: Samples = samples.mean(axis=1).astype(np.float32)
        if rate == RATE:
            return mono
        if rate * 2 == RATE:
            positions = np.arange(2 * len(mono)) / 2
            doubled: Samples = np.interp(positions, np.arange(len(mono)), mono).astype(np.float32)
            return doubled
    raw = subprocess.run(
        [
            "ffmpeg",
            "-nostdin",
            "-v",
            "error",
            "-i",
            str(path),
            "-ac",
            "1",
            "-ar",
            str(RATE),
            "-f",
            "f32le",
            "-",
        ],
        check=True,
        capture_output=True,
    ).stdout
    return np.frombuffer(raw, dtype="<f4").copy()


def room(samples: Samples) -> Samples:
    """The same speech as if recorded in another room: echoes, a thinner microphone, hum-free hiss."""
    raw = subprocess.run(
        [
            "ffmpeg",
            "-nostdin",
            "-v",
            "error",
            "-f",
            "f32le",
            "-ar",
            str(RATE),
            "-ac",
            "1",
            "-i",
            "-",
            "-af",
            "aecho=0.8:0.6:23|47|71:0.35|0.25|0.15,highpass=f=250,lowpass=f=4500,"
            "equalizer=f=1500:t=q:w=1:g=6",
            "-f",
            "f32le",
            "-",
        ],
        input=samples.tobytes(),
        check=True,
        capture_output=True,
    ).stdout
    out = np.frombuffer(raw, dtype="<f4")[: len(samples)].copy()
    out *= np.float32(np.sqrt((samples**2).mean() / max((out**2).mean(), 1e-12)))
    return out


@dataclass(frozen=True)
class Clip:
    speaker: str
    samples: Samples


def mfa_clips(folder: Path) -> list[Clip]:
    return [Clip("mfa", decode(path)) for path in sorted(folder.glob("*.flac"))]


def librivox_clips(folder: Path, chunk_s: float = 1.5) -> list[Clip]:
    clips = []
    for path in sorted(folder.glob("*.wav")):
        audio = decode(path)
        size = round(chunk_s * RATE)
        for begin in range(0, len(audio) - size + 1, size):
            clips.append(Clip("librivox", audio[begin : begin + size]))
    return clips


def fsdd_clips(
    folder: Path, speaker: str, count: int, rng: np.random.Generator, digits: int = 4
) -> list[Clip]:
    paths = sorted(folder.glob(f"*_{speaker}_*.wav"))
    decoded = {
        paths[index]: decode(paths[index])
        for index in rng.choice(len(paths), size=min(len(paths), count * digits), replace=False)
    }
    pieces = list(decoded.values())
    return [Clip(speaker, np.concatenate(pieces[k * digits : (k + 1) * digits])) for k in range(count)]


def active_rms(samples: Samples) -> float:
    frames = samples[: len(samples) // 160 * 160].reshape(-1, 160)
    energy = (frames**2).mean(axis=1)
    loud = energy[energy > np.percentile(energy, 50)]
    return float(np.sqrt(loud.mean()))


def episode(clips: list[Clip], rng: np.random.Generator) -> tuple[Samples, list[VoiceTurn]]:
    order = rng.permutation(len(clips))
    parts: list[Samples] = []
    turns: list[VoiceTurn] = []
    at = 0
    for index, position in enumerate(order):
        gap = np.zeros(int(rng.integers(round(0.3 * RATE), round(0.8 * RATE))), dtype=np.float32)
        parts.append(gap)
        at += len(gap)
        clip = clips[position]
        turns.append(
            VoiceTurn(
                index, index + 1, clip.speaker, at * 1000 // RATE, (at + len(clip.samples)) * 1000 // RATE
            )
        )
        parts.append(clip.samples)
        at += len(clip.samples)
    audio = np.concatenate(parts)
    floor = rng.standard_normal(len(audio)).astype(np.float32) * np.float32(
        active_rms(audio) * 10 ** (-55 / 20)
    )
    return audio + floor, turns


def mixed(audio: Samples, noise: str, music: Samples, rng: np.random.Generator) -> Samples:
    if noise == "clean":
        return audio
    bed = (
        rng.standard_normal(len(audio)).astype(np.float32)
        if noise == "white15"
        else np.resize(music, len(audio))
    )
    gain = active_rms(audio) / (np.sqrt((bed**2).mean()) * 10 ** (15 / 20))
    return (audio + np.float32(gain) * bed).astype(np.float32)


def truncated(turns: list[VoiceTurn], first_ms: int | None) -> list[VoiceTurn]:
    if first_ms is None:
        return turns
    return [replace(turn, end_ms=min(turn.end_ms, turn.start_ms + first_ms)) for turn in turns]


def spans(turns: list[VoiceTurn]) -> list[tuple[int, int]]:
    """The turns' times, which is all the check computes features for (as redbox check does)."""
    return [(turn.start_ms, turn.end_ms) for turn in turns]


def flip_trials(
    frames: object, turns: list[VoiceTurn], options: VoiceOptions, trials: int, rng: np.random.Generator
) -> dict[str, list[float]]:
    """Margins of flipped and of correct turns over ``trials`` random flips (1, 3 or 5)."""
    speakers = sorted({turn.speaker for turn in turns})
    base = check_voices(frames, turns, options)  # type: ignore[arg-type]
    eligible = sorted(base.margins)
    out: dict[str, list[float]] = defaultdict(list)
    out["not_checked"].append(len(base.not_checked))
    for trial in range(trials):
        k = (1, 3, 5)[trial % 3]
        flipped = set(rng.choice(eligible, size=min(k, len(eligible)), replace=False).tolist())
        labelled = [
            replace(turn, speaker=str(rng.choice([name for name in speakers if name != turn.speaker])))
            if turn.index in flipped
            else turn
            for turn in turns
        ]
        report = check_voices(frames, labelled, options)  # type: ignore[arg-type]
        for index, (_, margin) in report.margins.items():
            speech_s = (turns[index].end_ms - turns[index].start_ms) / 1000
            bucket = "1-2s" if speech_s < 2 else "2-4s" if speech_s < 4 else "4s+"
            kind = "flipped" if index in flipped else "correct"
            out[kind].append(margin)
            out[f"{kind}:{bucket}"].append(margin)
    return out


def rates(result: dict[str, list[float]], margin: float, key: str = "") -> str:
    flipped = np.array(result.get(f"flipped{key}", []))
    correct = np.array(result.get(f"correct{key}", []))
    detected = f"{(flipped > margin).mean():.2f}" if len(flipped) else "-"
    false = f"{(correct > margin).mean():.3f}" if len(correct) else "-"
    return f"{detected}/{false} (n={len(flipped)}/{len(correct)})"


def two_voice_cases(
    args: argparse.Namespace, rng: np.random.Generator
) -> dict[str, tuple[list[Clip], dict[str, str]]]:
    """Episodes for VOI002: two people under one name (should be found), one person in two
    rooms or with varied voice qualities (should not)."""
    george = fsdd_clips(args.fsdd, "george", 15, rng)
    lucas = fsdd_clips(args.fsdd, "lucas", 15, rng)
    theo = fsdd_clips(args.fsdd, "theo", 15, rng)
    mfa = mfa_clips(args.mfa)
    librivox = librivox_clips(args.librivox)
    return {
        "two people: george + 6 jackson": (
            george + fsdd_clips(args.fsdd, "jackson", 6, rng) + lucas,
            {"jackson": "george"},
        ),
        "two people: theo + 6 yweweler": (
            theo + fsdd_clips(args.fsdd, "yweweler", 6, rng) + lucas,
            {"yweweler": "theo"},
        ),
        "two people: mfa + librivox": (mfa + librivox + theo, {"librivox": "mfa"}),
        "one person, two rooms: george": (
            [Clip("george", room(c.samples)) if k % 2 else c for k, c in enumerate(george)] + lucas,
            {},
        ),
        "one person, two rooms: mfa": (
            [Clip("mfa", room(c.samples)) if k % 2 else c for k, c in enumerate(mfa)] + librivox,
            {},
        ),
        "one person, varied voice: mfa": (mfa + librivox, {}),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--mfa", type=Path, required=True)
    parser.add_argument("--librivox", type=Path, required=True)
    parser.add_argument("--fsdd", type=Path, required=True)
    parser.add_argument("--music", type=Path, required=True)
    parser.add_argument("--trials", type=int, default=30)
    parser.add_argument("--diagonal", action="store_true")
    parser.add_argument("--margin", type=float, default=VoiceOptions().margin)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--only", default="")
    parser.add_argument("--two-voices-only", action="store_true", help="only the VOI002 cases")
    parser.add_argument("--fsdd-turns", type=int, default=15, help="turns per FSDD speaker")
    parser.add_argument("--min-references", type=int, default=VoiceOptions().min_references)
    parser.add_argument("--seed", type=int, default=17, help="of the random draws (clips, flips, noise)")
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    music = decode(args.music)
    options = VoiceOptions(diagonal=args.diagonal, margin=args.margin, min_references=args.min_references)
    mfa = mfa_clips(args.mfa)
    sets: dict[str, list[Clip]] = {
        "en_2spk": mfa + librivox_clips(args.librivox),
        # the MFA speaker's every other clip "recorded in another room" (see room())
        "en_2spk_rooms": [Clip("mfa", room(c.samples)) if k % 2 else c for k, c in enumerate(mfa)]
        + librivox_clips(args.librivox),
    }
    fsdd = ["george", "jackson", "lucas", "nicolas", "theo", "yweweler"]
    for number, group in enumerate(
        [
            ("george", "jackson"),
            ("lucas", "nicolas"),
            ("theo", "yweweler"),
            ("jackson", "theo", "lucas"),
            ("george", "nicolas", "yweweler"),
        ]
    ):
        sets[f"fsdd_{number + 1}_{len(group)}spk"] = [
            clip for name in group for clip in fsdd_clips(args.fsdd, name, args.fsdd_turns, rng)
        ]
    del fsdd
    if args.only:
        sets = {name: clips for name, clips in sets.items() if args.only in name}
    results: dict[str, dict[str, list[float]]] = {}
    if args.two_voices_only:
        sets = {}
    for name, clips in sets.items():
        audio, turns = episode(clips, rng)
        for noise in ("clean", "white15", "music15"):
            noisy = mixed(audio, noise, music, rng)
            for length in (None, 2000):
                label = f"{name} {noise} {'full' if length is None else 'first 2 s'}"
                flips = replace(options, two_voices=False)  # VOI002 is measured on its own below
                scored = truncated(turns, length)
                frames = voice_frames(noisy, RATE, spans(scored))
                results[label] = flip_trials(frames, scored, flips, args.trials, rng)
                print(
                    label,
                    "margin",
                    args.margin,
                    rates(results[label], args.margin),
                    "not checked",
                    results[label]["not_checked"][0],
                    "split alarms",
                    int(sum(results[label]["split_alarms"])),
                    flush=True,
                )
    print(f"\nat margin {args.margin}: set | all | 1-2 s | 2-4 s | 4 s+ (detected/false, counts)")
    for label, result in results.items():
        print(label, " | ".join(rates(result, args.margin, key) for key in ("", ":1-2s", ":2-4s", ":4s+")))
    meeting = [
        label
        for label, result in results.items()
        if result.get("flipped")
        and (np.array(result["flipped"]) > args.margin).mean() >= 0.9
        and (np.array(result["correct"]) > args.margin).mean() <= 0.02
    ]
    # The goal per cell: >= 90 % of flipped turns flagged, <= 2 % of correct ones.
    print(f"cells meeting the goal at margin {args.margin}: {len(meeting)} of {len(results)}")
    print("\ntwo voices under one name (VOI002): case | noise | found (turns, score)")
    for case, (clips, relabel) in two_voice_cases(args, rng).items():
        audio, turns = episode(clips, rng)
        turns = [replace(turn, speaker=relabel.get(turn.speaker, turn.speaker)) for turn in turns]
        for noise in ("clean", "white15", "music15"):
            frames = voice_frames(mixed(audio, noise, music, rng), RATE, spans(turns))
            report = check_voices(frames, turns, options)
            found = [(split.speaker, len(split.turns), round(split.gain, 2)) for split in report.splits]
            print(case, "|", noise, "|", found or "none", flush=True)
    print("\nset | detected/false at margins " + " ".join(str(m) for m in MARGINS))
    for label, result in results.items():
        print(label, " | ".join(rates(result, m).split(" ")[0] for m in MARGINS))
    if args.json:
        args.json.write_text(json.dumps(results))


if __name__ == "__main__":
    main()
