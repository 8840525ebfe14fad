"""Synthetic episodes with known timings, for tests and benchmarks of the aligner.

Each sentence is spoken by an espeak-ng voice that differs from the aligner's (another
variant, speed and pitch), trimmed to its speech and joined with known silences;
white noise at a chosen signal-to-noise ratio can be laid over the whole file. The
truth is the start and end of every sentence's speech.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from toolkit.align.audio import Audio
from toolkit.align.episode import speech_bounds
from toolkit.align.synth import Voice, synthesize
from toolkit.align.timings import spoken_text

#: Silences before, between and after the sentences (ms), cycled when there are more.
GAPS_MS = (1000, 800, 300, 1500, 500, 2000, 250, 1000, 600, 1200)
TAIL_MS = 1500

ENGLISH_SENTENCES = (
    "Welcome to the Red Box!",
    "Are there any misunderstandings about the North Korean people that make you feel uncomfortable?",
    "When I first came to South Korea, I was working part-time at a convenience store.",
    "I was still very young and had a very heavy North Korean accent.",
    "People would ask me where I'm from, and I'd tell them that I'm from North Korea.",
    "Some people ask because they don't know.",
    "Not everyone in North Korea is like that, there are people who live well too.",
    "So those types of questions made me feel a little uncomfortable.",
    "I could have been born anywhere, it was not my choice.",
    "From that moment on, I became confident. I am just who I am.",
)

KOREAN_SENTENCES = (
    "레드 박스에 오신 것을 환영합니다!",
    "북한 사람들에 대한 오해 중에 불편하게 느껴지는 것이 있나요?",
    "처음 한국에 왔을 때 편의점에서 아르바이트를 했어요.",
    "저는 아직 어렸고 북한 말투가 아주 강했어요.",
    "그래서 사람들이 어디서 왔냐고 물어봤어요.",
    "모르셔서 물어보시는 분들도 있어요.",
    "북한에도 잘 사는 사람들이 있어요.",
    "그런 질문을 받으면 조금 불편했어요.",
    "제가 선택해서 북한에서 태어난 건 아니잖아요.",
    "그때부터 저는 자신감이 생겼어요. 저는 그냥 저예요.",
)

#: The voices the test audio is spoken with: never the aligner's own. Not ``+f3``: its
#: breath noise comes out different on every run, and fixtures must not.
TEST_VOICES = {
    "en": (Voice("en-us+f1", 145, 70), Voice("en+m3", 160, 35)),
    "ko": (Voice("ko+f1", 145, 70), Voice("ko+m3", 160, 35)),
}


@dataclass(frozen=True)
class Truth:
    """Where a sentence really is in the fixture."""

    text: str
    start_ms: int
    end_ms: int
    in_transcript: bool = True


@dataclass(frozen=True)
class Episode:
    audio: Audio
    truths: tuple[Truth, ...]

    @property
    def transcript_truths(self) -> tuple[Truth, ...]:
        return tuple(truth for truth in self.truths if truth.in_transcript)


def sentences_for(language: str, count: int) -> list[str]:
    """``count`` test sentences in ``language`` ("en" or "ko"), cycling the ten."""
    pool = KOREAN_SENTENCES if language == "ko" else ENGLISH_SENTENCES
    return [pool[index % len(pool)] for index in range(count)]


def build_episode(
    sentences: Sequence[str],
    language: str,
    *,
    voices: Sequence[Voice] | None = None,
    snr_db: float | None = None,
    missing: Sequence[int] = (),
    gaps_ms: Sequence[int] = GAPS_MS,
    seed: int = 5,
    intro_ms: int = 0,
    outro_ms: int = 0,
) -> Episode:
    """Speak ``sentences`` with ``voices`` (alternating per sentence) into one recording.

    Sentences whose index is in ``missing`` are spoken but marked as absent from the
    transcript. ``snr_db`` adds white noise at that ratio to the speech power.
    ``intro_ms``/``outro_ms`` put that much music (:func:`music`) before and after.
    """
    chosen = list(voices or TEST_VOICES["ko" if language == "ko" else "en"][:1])
    pieces: list[npt.NDArray[np.float32]] = []
    truths: list[Truth] = []
    clips: list[npt.NDArray[np.float32]] = []
    rate = 22050
    position = 0
    if intro_ms:
        pieces.append(music(intro_ms, rate))
        position += len(pieces[-1])
    for index, sentence in enumerate(sentences):
        speech = synthesize(spoken_text(sentence), chosen[index % len(chosen)])
        rate = speech.sample_rate
        gap = np.zeros(round(gaps_ms[index % len(gaps_ms)] * rate / 1000), dtype=np.float32)
        pieces.append(gap)
        position += len(gap)
        first, last = speech_bounds(speech.samples, rate)
        clip = speech.samples[first:last]
        truths.append(
            Truth(
                sentence,
                round(position * 1000 / rate),
                round((position + len(clip)) * 1000 / rate),
                index not in missing,
            )
        )
        pieces.append(clip)
        clips.append(clip)
        position += len(clip)
    pieces.append(np.zeros(round(TAIL_MS * rate / 1000), dtype=np.float32))
    if outro_ms:
        pieces.append(music(outro_ms, rate))
    samples = np.concatenate(pieces)
    if snr_db is not None:
        speech_power = float(np.mean(np.concatenate(clips).astype(np.float64) ** 2))
        noise_power = speech_power / (10 ** (snr_db / 10))
        noise = np.random.default_rng(seed).normal(0.0, np.sqrt(noise_power), len(samples))
        samples = samples + noise.astype(np.float32)
    peak = float(np.abs(samples).max())
    if peak > 0.99:
        samples = samples * (0.99 / peak)
    return Episode(Audio(samples.astype(np.float32), rate), tuple(truths))


def music(duration_ms: int, rate: int = 22050) -> npt.NDArray[np.float32]:
    """A plain intro jingle: a four-note arpeggio with an octave, a note every 250 ms."""
    count = round(duration_ms * rate / 1000)
    time = np.arange(count) / rate
    notes = np.array([220.0, 277.2, 329.6, 440.0, 329.6, 277.2])
    pitch = notes[(time * 4).astype(np.int64) % len(notes)]
    tune = 0.2 * np.sin(2 * np.pi * pitch * time) + 0.1 * np.sin(4 * np.pi * pitch * time)
    return tune.astype(np.float32)
