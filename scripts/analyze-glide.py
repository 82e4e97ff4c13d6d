#!/usr/bin/env python3
"""Checks that mute and volume changes in a recording glide rather than click.

usage: analyze-glide.py RECORDING.wav CYCLE_SECONDS BEFORE_CYCLE AFTER_CYCLE
A click is a jump in the waveform: its second difference (how sharply the slope changes from
one sample to the next) at the size of the sound itself. Every cue and the breath tone are smooth
waves whose second difference stays a small part of their peak; a gain cut from one sample to the
next is as large as the signal it cuts. Prints one line of figures:
  click_ratio       the largest second difference against the recording's peak
  longest_quiet_s   the longest stretch of silence after the session's first sound and before
                    its last (a mute shows as one)
  level_ratio       the sound's RMS over breath cycle AFTER_CYCLE against BEFORE_CYCLE (cycles
                    counted from the first sound, CYCLE_SECONDS each; the breath tone makes each
                    whole cycle sound alike, so this is the volume change)
Standard library only.
"""
import importlib.util
import math
import os
import sys

# The recording is read as the cue check reads it.
_spec = importlib.util.spec_from_file_location(
    "analyze_cues", os.path.join(os.path.dirname(os.path.abspath(__file__)), "analyze-cues.py")
)
analyze_cues = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(analyze_cues)

# Quieter than this (about -66 dBFS) is silence.
SILENCE = 0.0005


def rms(samples):
    return math.sqrt(sum(s * s for s in samples) / max(1, len(samples)))


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    path, cycle = sys.argv[1], float(sys.argv[2])
    before, after = int(sys.argv[3]), int(sys.argv[4])
    rate, x = analyze_cues.read_mono(path)
    peak = max((abs(s) for s in x), default=0.0)
    if peak < 0.01:
        sys.exit(f"{path}: nothing was heard (peak {peak})")
    second = max(abs(x[i + 1] - 2 * x[i] + x[i - 1]) for i in range(1, len(x) - 1))
    sounding = [i for i, s in enumerate(x) if abs(s) > SILENCE]
    start, end = sounding[0], sounding[-1]
    quiet = longest = 0
    for s in x[start:end]:
        quiet = quiet + 1 if abs(s) <= SILENCE else 0
        longest = max(longest, quiet)

    def cycle_rms(n):
        a = start + int(n * cycle * rate)
        b = a + int(cycle * rate)
        if b > len(x):
            sys.exit(f"{path}: the recording ends before breath cycle {n}")
        return rms(x[a:b])

    print(
        f"click_ratio={second / peak:.4f} longest_quiet_s={longest / rate:.2f} "
        f"level_ratio={cycle_rms(after) / max(cycle_rms(before), 1e-9):.3f}"
    )


if __name__ == "__main__":
    main()
