"""Video: shot changes and cue snapping (pure), and the ffmpeg/ffprobe/fontconfig calls.

``snapping`` and ``shots`` (parsing and the cache file's text) are pure; ``ffmpeg.py`` is
the one module that runs ffmpeg, ffprobe, fc-list and fc-match (subprocesses, given paths).
"""
