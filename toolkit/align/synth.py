"""Speech synthesis with espeak-ng, in process, through the ``espeakng-loader`` wheel.

The wheel ships ``libespeak-ng`` and its data (Korean included), so nothing is fetched
at run time and no system package is needed. espeak-ng is GPL-3.0-or-later, like redbox.
The library keeps global state, so every call goes through one lock.

Each synthesis returns the samples and, for every word, where it starts in them
(espeak-ng's word events), which is what lets cue boundaries inside a turn be timed.
"""

from __future__ import annotations

import ctypes
import threading
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from toolkit.errors import ToolkitError

_AUDIO_OUTPUT_SYNCHRONOUS = 2
_INITIALIZE_DONT_EXIT = 0x8000
_CHARS_UTF8 = 1
_POS_CHARACTER = 1
_EVENT_LIST_TERMINATED = 0
_EVENT_WORD = 1
_PARAMETER_RATE = 1
_PARAMETER_PITCH = 3
_PHONEMES_IPA = 2


class _EventId(ctypes.Union):
    _fields_ = [("number", ctypes.c_int), ("name", ctypes.c_char_p), ("string", ctypes.c_char * 8)]


class _Event(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_int),
        ("unique_identifier", ctypes.c_uint),
        ("text_position", ctypes.c_int),
        ("length", ctypes.c_int),
        ("audio_position", ctypes.c_int),
        ("sample", ctypes.c_int),
        ("user_data", ctypes.c_void_p),
        ("id", _EventId),
    ]


_CALLBACK = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(_Event)
)


@dataclass(frozen=True)
class Voice:
    """An espeak-ng voice: a name such as ``en`` or ``ko+f3``, words a minute and pitch (0-99)."""

    name: str
    rate: int = 175
    pitch: int = 50


@dataclass(frozen=True)
class Speech:
    """Synthesized samples and the character span and start sample of every word."""

    samples: npt.NDArray[np.float32]
    sample_rate: int
    #: ``(first_char, char_count, start_sample)`` per word, ``first_char`` 0-based in the text.
    words: tuple[tuple[int, int, int], ...]


class _Engine:
    def __init__(self) -> None:
        try:
            import espeakng_loader
        except ImportError:  # pragma: no cover - the wheel is a dependency
            raise ToolkitError("espeak-ng is not installed (pip install espeakng-loader)") from None
        try:
            self.library = ctypes.CDLL(espeakng_loader.get_library_path())
        except OSError as error:  # pragma: no cover - broken installation
            raise ToolkitError(f"cannot load espeak-ng: {error}") from None
        data_path = espeakng_loader.get_data_path()
        parent = data_path.rsplit("/espeak-ng-data", 1)[0]
        self.library.espeak_Initialize.restype = ctypes.c_int
        self.library.espeak_Initialize.argtypes = [
            ctypes.c_int,
            ctypes.c_int,
            ctypes.c_char_p,
            ctypes.c_int,
        ]
        self.sample_rate = int(
            self.library.espeak_Initialize(
                _AUDIO_OUTPUT_SYNCHRONOUS, 0, parent.encode(), _INITIALIZE_DONT_EXIT
            )
        )
        if self.sample_rate <= 0:  # pragma: no cover - broken installation
            raise ToolkitError(f"espeak-ng did not start (data in {data_path})")
        self.library.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        self.library.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        self.library.espeak_Synth.argtypes = [
            ctypes.c_void_p,
            ctypes.c_size_t,
            ctypes.c_uint,
            ctypes.c_int,
            ctypes.c_uint,
            ctypes.c_uint,
            ctypes.POINTER(ctypes.c_uint),
            ctypes.c_void_p,
        ]
        self.chunks: list[npt.NDArray[np.int16]] = []
        self.word_events: list[tuple[int, int, int]] = []
        self.callback = _CALLBACK(self._receive)
        self.library.espeak_SetSynthCallback(self.callback)
        self.voice: Voice | None = None

    def _receive(
        self, wav: ctypes._Pointer[ctypes.c_short], count: int, events: ctypes._Pointer[_Event]
    ) -> int:
        if count > 0:
            self.chunks.append(np.ctypeslib.as_array(wav, shape=(count,)).copy())
        index = 0
        while events[index].type != _EVENT_LIST_TERMINATED:
            event = events[index]
            if event.type == _EVENT_WORD:
                self.word_events.append((event.text_position, event.length, event.sample))
            index += 1
        return 0

    def set_voice(self, voice: Voice) -> None:
        if voice == self.voice:
            return
        if self.library.espeak_SetVoiceByName(voice.name.encode()) != 0:
            raise ToolkitError(
                f"espeak-ng has no voice {voice.name!r} (choose one with --voice, e.g. en, en-us, ko)"
            )
        self.library.espeak_SetParameter(_PARAMETER_RATE, voice.rate, 0)
        self.library.espeak_SetParameter(_PARAMETER_PITCH, voice.pitch, 0)
        self.voice = voice

    def synthesize(self, text: str, voice: Voice) -> Speech:
        self.set_voice(voice)
        self.chunks = []
        self.word_events = []
        data = text.encode("utf-8") + b"\0"
        buffer = ctypes.create_string_buffer(data, len(data))
        self.library.espeak_Synth(buffer, len(data), 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None)
        self.library.espeak_Synchronize()
        samples = (
            np.concatenate(self.chunks).astype(np.float32) / 32768.0
            if self.chunks
            else np.zeros(0, dtype=np.float32)
        )
        words = tuple((max(position - 1, 0), length, sample) for position, length, sample in self.word_events)
        return Speech(samples, self.sample_rate, words)

    def ipa(self, text: str, voice: Voice) -> str:
        self.set_voice(voice)
        convert = self.library.espeak_TextToPhonemes
        convert.restype = ctypes.c_char_p
        convert.argtypes = [ctypes.POINTER(ctypes.c_void_p), ctypes.c_int, ctypes.c_int]
        buffer = ctypes.create_string_buffer(text.encode("utf-8") + b"\0")
        pointer = ctypes.c_void_p(ctypes.addressof(buffer))
        clauses: list[str] = []
        # espeak-ng moves the pointer clause by clause and sets it to NULL at the end.
        while pointer.value:
            clause = convert(ctypes.byref(pointer), _CHARS_UTF8, _PHONEMES_IPA)
            clauses.append((clause or b"").decode("utf-8", "replace"))
        return " ".join(clauses)


_lock = threading.Lock()
_engine: _Engine | None = None


def _loaded_engine() -> _Engine:
    """The one espeak-ng engine, loaded on first use; call with ``_lock`` held."""
    global _engine
    if _engine is None:
        _engine = _Engine()
    return _engine


def synthesize(text: str, voice: Voice) -> Speech:
    """Speak ``text`` with ``voice``; the result's sample rate is espeak-ng's (22,050 Hz)."""
    with _lock:
        return _loaded_engine().synthesize(text, voice)


def ipa(text: str, voice: Voice) -> str:
    """How ``voice`` would pronounce ``text``, in IPA (espeak-ng's letter-to-sound rules)."""
    with _lock:
        return _loaded_engine().ipa(text, voice)
