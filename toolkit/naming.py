"""The one gate for the names redbox builds paths from: episode slugs and language tags.

Every output path redbox derives (``<locales>/<episode>.pot``,
``<locales>/<lang>/LC_MESSAGES/<episode>.po``, ``<subtitles>/<episode>.<lang>.srt``) is made
from an episode slug and a language tag that come from a transcript's header or the command
line. Both are checked here and nowhere else, so ``episode: ../../x`` or ``language: /tmp``
can never name a file outside the project; ``redbox check`` reports the same findings as
rules TRN006 and TRN007.

Language tags are normalised so that ``ko-KR``, ``ko_KR`` and ``KO-kr`` name one language:
the canonical form is BCP 47 with a hyphen (``ko-KR``, used in subtitle file names, as
YouTube and browsers expect) and the catalog folder is its gettext form (``ko_KR``, the
folder name gettext, Poedit and Weblate look for).
"""

from __future__ import annotations

import importlib.util
import re
from functools import lru_cache
from pathlib import Path

from toolkit import files
from toolkit.errors import NamingError

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
#: language[-Script][-REGION], in any case and with ``-`` or ``_``: what a subtitle language needs.
_TAG_SHAPE = re.compile(r"^([a-zA-Z]{2,3})(?:[-_]([a-zA-Z]{4}))?(?:[-_]([a-zA-Z]{2}|\d{3}))?$")


def slug_problem(slug: str) -> str | None:
    """Why ``slug`` cannot be an episode slug, or ``None`` when it can.

    >>> slug_problem("misunderstandings-and-stereotypes") is None
    True
    >>> slug_problem("../../escape")
    "episode '../../escape' is not a slug (lowercase letters, digits, hyphens)"
    """
    if SLUG_RE.match(slug):
        return None
    return f"episode {slug!r} is not a slug (lowercase letters, digits, hyphens)"


def checked_slug(slug: str, source: str = "", line: int = 0) -> str:
    """``slug`` itself, or :class:`~toolkit.errors.NamingError` (at ``source:line``) when it is not one."""
    problem = slug_problem(slug)
    if problem:
        raise NamingError(problem, source, line)
    return slug


@lru_cache(maxsize=256)
def _canonical(tag: str) -> str | None:
    match = _TAG_SHAPE.match(tag.strip())
    if not match:
        return None
    language, script, region = match.groups()
    canonical = language.lower()
    if script:
        canonical += "-" + script.title()
    if region:
        canonical += "-" + region.upper()
    if _has_locale_data(canonical.replace("-", "_")):
        return canonical
    from babel import Locale, UnknownLocaleError  # Babel loads only when a tag is checked

    try:
        Locale.parse(canonical, sep="-")
    except (UnknownLocaleError, ValueError):
        return None
    return canonical


def _has_locale_data(identifier: str) -> bool:
    """True when Babel has a locale-data file named ``identifier`` (``ko``, ``ko_KR``, ``zh_Hant_TW``).

    ``babel.Locale.parse`` accepts every such identifier as it is (it loads the locale when its
    data file exists, before any alias or likely-subtag lookup), so a tag whose file is there
    is known without importing Babel (about 5 ms at every start of a command that names a
    language). Any other tag is decided by Babel itself.
    """
    spec = importlib.util.find_spec("babel")
    if spec is None or spec.origin is None:
        return False
    return files.modified_ns(Path(spec.origin).parent / "locale-data" / f"{identifier}.dat") is not None


def language_problem(tag: str) -> str | None:
    """Why ``tag`` is not a language tag Babel knows, or ``None`` when it is.

    >>> language_problem("ko_KR") is None, language_problem("KO") is None
    (True, True)
    >>> language_problem("english")
    "language 'english' is not a BCP 47 tag such as 'en' or 'ko'"
    """
    if _canonical(tag) is None:
        return f"language {tag!r} is not a BCP 47 tag such as 'en' or 'ko'"
    return None


def canonical_language(tag: str, source: str = "", line: int = 0) -> str:
    """The BCP 47 form of ``tag`` (``ko_KR`` -> ``ko-KR``); :class:`~toolkit.errors.NamingError` if
    Babel does not know it.

    >>> canonical_language("KO"), canonical_language("ko_kr"), canonical_language("zh_hant_tw")
    ('ko', 'ko-KR', 'zh-Hant-TW')
    """
    canonical = _canonical(tag)
    if canonical is None:
        raise NamingError(f"language {tag!r} is not a BCP 47 tag such as 'en' or 'ko'", source, line)
    return canonical


def catalog_folder(tag: str, source: str = "", line: int = 0) -> str:
    """The gettext folder name of a language (``ko-KR`` -> ``ko_KR``); :class:`~toolkit.errors.NamingError`
    (at ``source:line``) if Babel does not know it.

    >>> catalog_folder("ko-kr")
    'ko_KR'
    """
    return canonical_language(tag, source, line).replace("-", "_")
