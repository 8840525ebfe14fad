"""``redbox preview``: one self-contained HTML page to review an episode's subtitles.

The page has no network access and loads no external script or style: every language's
WebVTT text is embedded and handed to a ``<track>`` of the player as a ``blob:`` URL, the
transcript is written into the page, and the only outside reference is the media file
(``--video``/``--audio``, linked relative to the page). Without media a silent clock
drives the same player, so subtitles can be reviewed before the video exists.

What it shows: the player with the current cue drawn over the picture in the chosen
language (or all at once), a timeline with the shot changes, and beside it the transcript
with every language side by side, cue by cue; clicking a turn or a cue seeks to it, the
current cue and turn are highlighted, and every QC finding sits at its turn and cue with
its code. Keys: Space or K plays and pauses, N or → goes to the next cue, P or ← to the
previous one.

Everything here builds a string; nothing reads or writes a file.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any, Literal

from toolkit.formats.styling import speaker_colours, speakers_in_order
from toolkit.model import Cue
from toolkit.timecode import format_clock

MediaKind = Literal["video", "audio"]
#: Seconds of silent timeline after the last cue when there is no media.
TAIL_MS = 2000


@dataclass(frozen=True)
class PreviewLanguage:
    """One language's subtitles: its tag, a title, the WebVTT text and the cues in it."""

    code: str
    title: str
    vtt: str
    cues: Sequence[Cue]


@dataclass(frozen=True)
class PreviewFinding:
    """A QC finding shown at a turn (and at a cue of one language when it is about one)."""

    code: str
    severity: str
    message: str
    language: str = ""
    cue: int = 0


@dataclass(frozen=True)
class PreviewSnap:
    """A cue edge moved onto a shot change (``language``'s cue ``cue``)."""

    language: str
    cue: int
    edge: str
    from_ms: int
    to_ms: int
    shot_ms: int


@dataclass(frozen=True)
class PreviewTurn:
    """A transcript turn: its number, line, speaker and the QC findings about it."""

    number: int
    line: int
    speaker: str
    findings: Sequence[PreviewFinding] = ()


@dataclass(frozen=True)
class PreviewPage:
    title: str
    source: str
    languages: Sequence[PreviewLanguage]
    turns: Sequence[PreviewTurn]
    media_kind: MediaKind | None = None
    media_src: str = ""
    shots: Sequence[int] = ()
    snaps: Sequence[PreviewSnap] = ()
    colours: Mapping[str, str] = field(default_factory=dict)
    #: Findings about the whole episode rather than one turn.
    findings: Sequence[PreviewFinding] = ()


def clock(ms: int) -> str:
    """``HH:MM:SS.mmm``.

    >>> clock(83_500)
    '00:01:23.500'
    """
    return format_clock(ms)


def _json_for_script(value: Any) -> str:
    """JSON that cannot end a ``<script>`` element or open a comment inside it."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _cues_by_line(cues: Sequence[Cue]) -> dict[int, list[tuple[int, Cue]]]:
    by_line: dict[int, list[tuple[int, Cue]]] = {}
    for number, cue in enumerate(cues, start=1):
        by_line.setdefault(cue.line, []).append((number, cue))
    return by_line


def _turn_rows(page: PreviewPage) -> tuple[str, list[int]]:
    """The transcript's rows (HTML) and each turn's start time (ms)."""
    source_cues = _cues_by_line(page.languages[0].cues) if page.languages else {}
    per_language = [_cues_by_line(language.cues) for language in page.languages]
    snaps_by_cue: dict[tuple[str, int], list[PreviewSnap]] = {}
    for snap in page.snaps:
        snaps_by_cue.setdefault((snap.language, snap.cue), []).append(snap)
    rows = []
    starts: list[int] = []
    previous_start = 0
    for turn in page.turns:
        own = source_cues.get(turn.line, [])
        start = own[0][1].start_ms if own else previous_start
        previous_start = start
        starts.append(start)
        colour = page.colours.get(turn.speaker, "#FFFFFF")
        cells = []
        for language, cues in zip(page.languages, per_language, strict=True):
            spans = []
            for number, cue in cues.get(turn.line, []):
                codes = [f.code for f in turn.findings if f.language == language.code and f.cue == number]
                snapped = snaps_by_cue.get((language.code, number), [])
                classes = "cue" + (" flagged" if codes else "") + (" snapped" if snapped else "")
                text = escape(cue.text).replace("\n", " ")
                marks = "".join(f'<sup class="code">{escape(code)}</sup>' for code in codes)
                marks += "".join(
                    f'<sup class="snap" title="{escape(_snap_text(snap))}">✂</sup>' for snap in snapped
                )
                spans.append(
                    f'<span class="{classes}" data-lang="{escape(language.code)}" '
                    f'data-cue="{number}" data-start="{cue.start_ms}">{text}</span>' + marks
                )
            cells.append(f'<td class="text" lang="{escape(language.code)}">{" ".join(spans)}</td>')
        findings = "".join(
            f'<li class="{escape(finding.severity)}" data-lang="{escape(finding.language)}" '
            f'data-cue="{finding.cue}"><code>{escape(finding.code)}</code> '
            + (
                f"[{escape(finding.language)}" + (f" cue {finding.cue}" if finding.cue else "") + "] "
                if finding.language
                else ""
            )
            + f"{escape(finding.message)}</li>"
            for finding in turn.findings
        )
        snap_notes = "".join(
            f'<li class="snap" data-lang="{escape(snap.language)}" data-cue="{snap.cue}">'
            f"✂ {escape(_snap_text(snap))}</li>"
            for number, _cue in source_cues.get(turn.line, [])
            for snap in snaps_by_cue.get((page.languages[0].code, number), [])
        )
        notes = f'<ul class="findings">{findings}{snap_notes}</ul>' if findings or snap_notes else ""
        rows.append(
            f'<tr class="turn{" has-findings" if turn.findings else ""}" id="turn-{turn.number}" '
            f'data-turn="{turn.number}" data-start="{start}" tabindex="0">'
            f'<td class="time">{clock(start)}<br><span class="line">line {turn.line}</span></td>'
            f'<td class="speaker" style="color:{escape(colour)}">{escape(turn.speaker)}</td>'
            + "".join(cells)
            + "</tr>"
            + (
                f'<tr class="notes" data-turn="{turn.number}"><td></td>'
                f'<td colspan="{len(cells) + 1}">{notes}</td></tr>'
                if notes
                else ""
            )
        )
    return "\n".join(rows), starts


def _snap_text(snap: PreviewSnap) -> str:
    return (
        f"{snap.language} cue {snap.cue} {snap.edge} moved {clock(snap.from_ms)} → {clock(snap.to_ms)} "
        f"(shot change at {clock(snap.shot_ms)})"
    )


def build_preview(page: PreviewPage) -> str:
    """The page's HTML."""
    rows, starts = _turn_rows(page)
    last_end = max((cue.end_ms for language in page.languages for cue in language.cues), default=0)
    findings_count = sum(len(turn.findings) for turn in page.turns) + len(page.findings)
    episode_findings = "".join(
        f'<li class="{escape(finding.severity)}"><code>{escape(finding.code)}</code> '
        + (f"[{escape(finding.language)}] " if finding.language else "")
        + f"{escape(finding.message)}</li>"
        for finding in page.findings
    )
    episode_notes = f'<ul class="findings episode">{episode_findings}</ul>' if episode_findings else ""
    data = {
        "languages": [
            {"code": language.code, "title": language.title, "vtt": language.vtt, "count": len(language.cues)}
            for language in page.languages
        ],
        "turnStarts": starts,
        "shots": list(page.shots),
        "silentDuration": last_end + TAIL_MS,
        "hasMedia": page.media_kind is not None,
    }
    tracks = "".join(
        f'<track kind="subtitles" data-lang="{escape(language.code)}" srclang="{escape(language.code)}" '
        f'label="{escape(language.title)}"{" default" if number == 0 else ""}>'
        for number, language in enumerate(page.languages)
    )
    source_attribute = f' src="{escape(page.media_src)}"' if page.media_kind else ""
    # Audio plays through the same <video> element: the black stage is where the cues are drawn.
    player = f'<video id="player" preload="auto" playsinline{source_attribute}>{tracks}</video>'
    options = (
        "".join(
            f'<option value="{escape(language.code)}">{escape(language.title)}</option>'
            for language in page.languages
        )
        + '<option value="*">All languages</option>'
    )
    headers = "".join(f"<th>{escape(language.title)}</th>" for language in page.languages)
    media_note = (
        f"{page.media_kind}: {escape(page.media_src)}" if page.media_kind else "no media: silent timeline"
    )
    summary = (
        f"{len(page.turns)} turns · "
        + " · ".join(f"{escape(language.code)} {len(language.cues)} cues" for language in page.languages)
        + f" · {findings_count} QC findings · {len(page.shots)} shot changes · {len(page.snaps)} "
        "cue edges snapped"
    )
    return f"""<!doctype html>
<html lang="{escape(page.languages[0].code if page.languages else "en")}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{_POLICY}">
<title>{escape(page.title)} · redbox preview</title>
<style>{_CSS}</style>
</head>
<body>
<header>
  <h1>{escape(page.title)}</h1>
  <p class="summary" id="summary">{summary} · <span class="media">{media_note}</span> ·
    {escape(page.source)}</p>
  {episode_notes}
</header>
<main>
  <section class="stage-column">
    <div class="stage" id="stage">
      {player}
      <div class="cue-overlay" id="overlay" aria-live="polite"></div>
    </div>
    <div class="controls">
      <button type="button" id="prev" title="Previous cue (P or ←)">◀ cue</button>
      <button type="button" id="play" title="Play or pause (Space or K)">Play</button>
      <button type="button" id="next" title="Next cue (N or →)">cue ▶</button>
      <span class="clock" id="clock">00:00:00.000</span>
      <label>Subtitles <select id="language">{options}</select></label>
    </div>
    <div class="timeline">
      <input type="range" id="seek" min="0" max="1" step="1" value="0" aria-label="Position">
      <div class="shots" id="shots"></div></div>
    <div class="cue-findings" id="cue-findings"></div>
    <p class="keys">Keys: Space/K play-pause · N/→ next cue · P/← previous cue ·
      click a turn or a cue to seek</p>
  </section>
  <section class="transcript-column">
    <table class="transcript" id="transcript">
      <thead><tr><th>Time</th><th>Speaker</th>{headers}</tr></thead>
      <tbody>
{rows}
      </tbody>
    </table>
  </section>
</main>
<script id="preview-data" type="application/json">{_json_for_script(data)}</script>
<script>{_SCRIPT}</script>
</body>
</html>
"""


def page_colours(cues: Sequence[Cue], configured: Mapping[str, str]) -> dict[str, str]:
    """Speaker colours for the page, the same ones TTML and ASS use."""
    return speaker_colours(speakers_in_order(cues), configured)


#: No network: nothing but the page's own inline script and style, and the media file it names.
_POLICY = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "media-src 'self' * blob: data:; img-src data:"
)

_CSS = """
:root {
  color-scheme: dark;
  --bg: #111;
  --fg: #eee;
  --dim: #999;
  --hi: #2a3f5f;
  --warn: #f5a623;
  --err: #ff5c5c;
}
* { box-sizing: border-box; }
body {
  margin: 0;
  font: 15px/1.45 system-ui, "Noto Sans CJK KR", "Noto Sans", sans-serif;
  background: var(--bg);
  color: var(--fg);
}
header { padding: 8px 16px; border-bottom: 1px solid #333; }
h1 { font-size: 18px; margin: 0; }
.summary { margin: 2px 0 0; color: var(--dim); font-size: 13px; }
main {
  display: grid;
  grid-template-columns: minmax(320px, 46%) 1fr;
  gap: 12px;
  padding: 12px;
  height: calc(100vh - 64px);
}
.stage-column { position: sticky; top: 0; align-self: start; }
.stage { position: relative; background: #000; aspect-ratio: 16 / 9; overflow: hidden; }
.stage video { width: 100%; height: 100%; display: block; }
.cue-overlay {
  position: absolute;
  left: 5%;
  right: 5%;
  bottom: 6%;
  text-align: center;
  pointer-events: none;
}
.cue-overlay .line {
  display: inline-block;
  background: rgba(0,0,0,.78);
  color: #fff;
  padding: 2px 8px;
  margin: 2px 0;
  font-size: clamp(12px, 1.7vw, 24px);
  white-space: pre-line;
}
.cue-overlay .line small { display: block; font-size: 11px; color: var(--dim); }
.controls { display: flex; gap: 8px; align-items: center; margin-top: 8px; }
.controls button { font-size: 16px; min-width: 40px; }
.clock { font-variant-numeric: tabular-nums; }
.timeline { position: relative; margin-top: 6px; }
.timeline input { width: 100%; }
.shots { position: relative; height: 8px; }
.shots i { position: absolute; top: 0; width: 2px; height: 8px; background: #6cf; }
.cue-findings { min-height: 1.5em; margin-top: 6px; font-size: 13px; }
.keys { color: var(--dim); font-size: 12px; }
.transcript-column { overflow: auto; }
table.transcript { border-collapse: collapse; width: 100%; }
.transcript th { position: sticky; top: 0; background: #222; text-align: left; padding: 4px 6px; }
.transcript td { vertical-align: top; padding: 4px 6px; border-top: 1px solid #2a2a2a; }
tr.turn { cursor: pointer; }
tr.turn:hover { background: #1b1b1b; }
tr.turn.current, tr.notes.current { background: var(--hi); }
td.time { color: var(--dim); font-size: 12px; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.speaker { font-weight: 600; white-space: nowrap; }
span.cue { border-radius: 3px; padding: 0 2px; border-left: 1px solid #444; }
span.cue.current { background: #ffd54f; color: #000; }
span.cue.flagged { text-decoration: underline wavy var(--warn); }
sup.code { color: var(--warn); font-size: 10px; margin-left: 2px; }
sup.snap { color: #6cf; font-size: 10px; }
ul.findings { margin: 0; padding-left: 18px; font-size: 12px; }
ul.findings li.warning code { color: var(--warn); }
ul.findings li.error code { color: var(--err); }
ul.findings li.snap { color: #6cf; list-style: none; }
@media (max-width: 800px) {
  main { grid-template-columns: 1fr;
  height: auto;
  } .stage-column { position: static;
  };
}
"""

_SCRIPT = r"""
(() => {
'use strict';
const data = JSON.parse(document.getElementById('preview-data').textContent);
const video = document.getElementById('player');
const overlay = document.getElementById('overlay');
const seek = document.getElementById('seek');
const clockText = document.getElementById('clock');
const playButton = document.getElementById('play');
const languageSelect = document.getElementById('language');
const cueFindings = document.getElementById('cue-findings');
const pad = (n, w) => String(n).padStart(w, '0');
const fmt = (ms) => {
  ms = Math.max(0, Math.round(ms));
  const h = Math.floor(ms / 3600000), m = Math.floor(ms / 60000) % 60, s = Math.floor(ms / 1000) % 60;
  return `${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}.${pad(ms % 1000, 3)}`;
};

class SilentClock {
  constructor(duration) { this.duration = duration; this.base = 0; this.started = null; }
  now() {
    if (this.started === null) return this.base;
    return Math.min(this.duration, this.base + performance.now() - this.started);
  }
  get playing() { return this.started !== null; }
  play() { if (this.started === null) this.started = performance.now(); }
  pause() { this.base = this.now(); this.started = null; }
  seek(ms) {
    this.base = Math.max(0, Math.min(ms, this.duration));
    if (this.started !== null) this.started = performance.now();
  }
  length() { return this.duration; }
}
class MediaClock {
  constructor(media, fallback) { this.media = media; this.fallback = fallback; }
  now() { return this.media.currentTime * 1000; }
  get playing() { return !this.media.paused; }
  play() { const p = this.media.play(); if (p) p.catch(() => {}); }
  pause() { this.media.pause(); }
  seek(ms) { this.media.currentTime = Math.max(0, ms) / 1000; }
  length() { const d = this.media.duration; return Number.isFinite(d) && d > 0 ? d * 1000 : this.fallback; }
}
const clock = data.hasMedia ? new MediaClock(video, data.silentDuration)
  : new SilentClock(data.silentDuration);

// Every language's WebVTT goes to its <track> as a blob: URL: the page needs no other file.
const tracks = Array.from(video.querySelectorAll('track'));
const cuesByLang = {};
const ready = Promise.all(tracks.map((element, index) => new Promise((resolve) => {
  const lang = element.dataset.lang;
  const source = data.languages[index];
  element.addEventListener('load', () => {
    cuesByLang[lang] = Array.from(element.track.cues || []).map((cue, i) => ({
      number: i + 1, start: cue.startTime * 1000, end: cue.endTime * 1000, cue }));
    resolve([lang, { status: 'load', cues: cuesByLang[lang].length }]);
  });
  element.addEventListener('error', () => resolve([lang, { status: 'error', cues: 0 }]));
  element.track.mode = 'hidden';
  element.src = URL.createObjectURL(new Blob([source.vtt], { type: 'text/vtt' }));
}))).then((results) => Object.fromEntries(results));

const spans = Array.from(document.querySelectorAll('span.cue'));
const spanOf = {};
for (const span of spans) spanOf[`${span.dataset.lang}#${span.dataset.cue}`] = span;
const rows = Array.from(document.querySelectorAll('tr.turn'));
let language = data.languages.length ? data.languages[0].code : '';
let shownKey = '';

function activeCues(lang, t) {
  const list = cuesByLang[lang] || [];
  let lo = 0, hi = list.length - 1, found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].start <= t) { found = mid; lo = mid + 1; } else hi = mid - 1;
  }
  return found >= 0 && t < list[found].end ? [list[found]] : [];
}
function allCueStarts() {
  const list = cuesByLang[language === '*' ? (data.languages[0] || {}).code : language] || [];
  return list.map((c) => c.start);
}
function render() {
  const t = clock.now();
  clockText.textContent = fmt(t);
  if (document.activeElement !== seek) seek.value = String(Math.round(t));
  playButton.textContent = clock.playing ? 'Pause' : 'Play';
  const langs = language === '*' ? data.languages.map((l) => l.code) : [language];
  const active = langs.flatMap((lang) => activeCues(lang, t).map((c) => [lang, c]));
  // The transcript highlights the cue of every language at this time; the picture shows the chosen ones.
  const everywhere = data.languages.flatMap((l) => activeCues(l.code, t).map((c) => [l.code, c]));
  const key = language + ' ' + everywhere.map(([lang, c]) => `${lang}#${c.number}`).join(' ');
  if (key === shownKey) return;
  shownKey = key;
  overlay.replaceChildren(...active.map(([lang, c]) => {
    const line = document.createElement('div');
    line.className = 'line'; line.lang = lang;
    line.appendChild(c.cue.getCueAsHTML());
    if (langs.length > 1) {
      const tag = document.createElement('small');
      tag.textContent = lang;
      line.appendChild(tag);
    }
    return line;
  }));
  for (const span of document.querySelectorAll('span.cue.current')) span.classList.remove('current');
  for (const row of document.querySelectorAll('tr.current')) row.classList.remove('current');
  const notes = [];
  for (const [lang, c] of everywhere) {
    const span = spanOf[`${lang}#${c.number}`];
    if (!span) continue;
    span.classList.add('current');
    const row = span.closest('tr');
    row.classList.add('current');
    const noteRow = row.nextElementSibling;
    if (noteRow && noteRow.classList.contains('notes')) {
      noteRow.classList.add('current');
      for (const li of noteRow.querySelectorAll('li')) {
        const cueNumber = String(c.number);
        const here = li.dataset.cue === '0' || (li.dataset.lang === lang && li.dataset.cue === cueNumber);
        if (here && !notes.includes(li.textContent)) notes.push(li.textContent);
      }
    }
    if (clock.playing && langs.includes(lang)) row.scrollIntoView({ block: 'nearest' });
  }
  cueFindings.textContent = notes.join(' · ');
}
function seekTo(ms) { clock.seek(ms); shownKey = '?'; render(); }
function step(direction) {
  const t = clock.now(), starts = allCueStarts();
  if (!starts.length) return;
  let target;
  if (direction > 0) target = starts.find((s) => s > t + 1);
  else {
    const earlier = starts.filter((s) => s < t - 1);
    target = earlier.length ? earlier[earlier.length - 1] : starts[0];
  }
  if (target !== undefined) seekTo(target);
}
function toggle() { if (clock.playing) clock.pause(); else clock.play(); shownKey = '?'; render(); }

playButton.addEventListener('click', toggle);
document.getElementById('next').addEventListener('click', () => step(1));
document.getElementById('prev').addEventListener('click', () => step(-1));
video.addEventListener('click', toggle);
seek.addEventListener('input', () => seekTo(Number(seek.value)));
languageSelect.addEventListener('change', () => {
  language = languageSelect.value;
  shownKey = '?';
  render();
});
document.getElementById('transcript').addEventListener('click', (event) => {
  const span = event.target.closest('span.cue');
  if (span) { seekTo(Number(span.dataset.start)); return; }
  const row = event.target.closest('tr.turn, tr.notes');
  if (row) seekTo(Number(document.getElementById(`turn-${row.dataset.turn}`).dataset.start));
});
document.addEventListener('keydown', (event) => {
  const tag = (event.target.tagName || '').toLowerCase();
  if (['select', 'input', 'textarea'].includes(tag) || event.ctrlKey || event.metaKey || event.altKey) return;
  const key = event.key;
  if (key === ' ' || key === 'k' || key === 'K') { event.preventDefault(); toggle(); }
  else if (key === 'n' || key === 'N' || key === 'ArrowRight') { event.preventDefault(); step(1); }
  else if (key === 'p' || key === 'P' || key === 'ArrowLeft') { event.preventDefault(); step(-1); }
  else if (key === 'Enter' && tag === 'tr') { seekTo(Number(event.target.dataset.start)); }
});
function layoutTimeline() {
  const length = clock.length();
  seek.max = String(Math.round(length));
  const shots = document.getElementById('shots');
  shots.replaceChildren(...data.shots.map((ms) => {
    const mark = document.createElement('i');
    mark.style.left = `${(100 * ms / length).toFixed(3)}%`;
    mark.title = `shot change ${fmt(ms)}`;
    return mark;
  }));
}
video.addEventListener('loadedmetadata', layoutTimeline);
video.addEventListener('seeked', render);
video.addEventListener('timeupdate', render);
layoutTimeline();
const loop = () => { render(); requestAnimationFrame(loop); };
ready.then(() => { shownKey = '?'; render(); requestAnimationFrame(loop); });
// For tests and the browser console.
window.redboxPreview = {
  ready, now: () => clock.now(), seek: seekTo, step, toggle, playing: () => clock.playing,
  setLanguage: (code) => { languageSelect.value = code; languageSelect.dispatchEvent(new Event('change')); },
};
})();
"""
