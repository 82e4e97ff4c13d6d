#!/usr/bin/env python3
"""Finds the cue onsets in a recording of `downshift play` and compares them with the plan.

usage: analyze-cues.py RECORDING.wav INHALE EXHALE
The practice is plain INHALE-EXHALE breathing (seconds), so the plan is an inhale cue every
INHALE+EXHALE seconds and an exhale cue INHALE seconds after each. Prints one line of figures:
cues (onsets on a place of the plan), spacing error p95 and max (ms), drift of the last cue
against the first (ms), and extra onsets (near no place: the rest of a cue cut off by silence).
Standard library only.
"""
import array
import sys
import wave

# A cue begins where the signal first rises above this (about -66 dBFS) after silence.
THRESHOLD = 0.0005
# Silence this long separates cues.
QUIET_SECONDS = 0.3


def read_mono(path):
    with wave.open(path, "rb") as w:
        rate, channels, width = w.getframerate(), w.getnchannels(), w.getsampwidth()
        raw = w.readframes(w.getnframes())
    if width != 2:
        sys.exit(f"{path}: expected 16-bit samples, got {width * 8}-bit")
    samples = array.array("h", raw)
    if sys.byteorder == "big":
        samples.byteswap()
    mono = samples[::channels]
    return rate, [s / 32768.0 for s in mono]


def onsets(rate, samples):
    quiet_needed = int(QUIET_SECONDS * rate)
    quiet = quiet_needed  # the recording starts in silence
    found = []
    for i, s in enumerate(samples):
        if abs(s) > THRESHOLD:
            if quiet >= quiet_needed:
                found.append(i)
            quiet = 0
        else:
            quiet += 1
    return found


def percentile(values, p):
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = min(len(ordered) - 1, max(0, int(round(p / 100 * (len(ordered) - 1)))))
    return ordered[k]


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    path, inhale, exhale = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
    rate, samples = read_mono(path)
    found = onsets(rate, samples)
    if len(found) < 4:
        sys.exit(f"only {len(found)} cues found in {path}: was anything played?")
    # The plan, from the first cue heard (an inhale): in, out, in, out, ... then the bell where
    # the next inhale would be. Each place takes the onset nearest it, within a quarter second;
    # an onset near no place is extra (the rest of a cue, heard after the device fell silent
    # in the middle of it).
    cycle = inhale + exhale
    first, last = found[0], found[-1]
    plan, heard = [], []
    n = 0
    while True:
        breath, half = divmod(n, 2)
        place = first + (breath * cycle + half * inhale) * rate
        if place > last + 0.25 * rate:
            break
        nearest = min(found, key=lambda h: abs(h - place))
        if abs(nearest - place) <= 0.25 * rate:
            plan.append(place - first)
            heard.append(nearest)
        n += 1
    extra = len(found) - len(heard)
    residuals_ms = [(h - heard[0] - p) * 1000.0 / rate for h, p in zip(heard, plan)]
    spacing_ms = [abs(b - a) for a, b in zip(residuals_ms, residuals_ms[1:])]
    drift_ms = residuals_ms[-1] - residuals_ms[0]
    span_min = (heard[-1] - heard[0]) / rate / 60.0
    print(
        f"cues={len(heard)} span_minutes={span_min:.2f} "
        f"spacing_error_p95_ms={percentile(spacing_ms, 95):.3f} "
        f"spacing_error_max_ms={max(spacing_ms):.3f} drift_ms={drift_ms:.3f} extra={extra}"
    )

if __name__ == "__main__":
    main()
