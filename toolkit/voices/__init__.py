"""Speaker labels checked against the voices (issue 17): each turn's voice scored against
every cast member's model built from the same episode's other turns, with no downloaded
model. ``features`` turns audio into frames, ``models`` fits and scores Gaussians,
``check`` decides what to flag, ``workflow`` reads an aligned episode's files."""
