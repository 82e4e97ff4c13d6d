#!/usr/bin/env python3
"""Makes downshift's cue sounds in sounds/ from sources this repo owns.

Tones are synthesised here (sums of sine partials with soft attacks and long decays); spoken cues
are made with espeak-ng (voice en+f3, slow). Everything is 24 kHz mono 16-bit WAV (plenty for soft cues; half the size in the binary). Run it again
after changing anything below: `python3 scripts/make-sounds.py` (needs espeak-ng and sox).
"""
import math
import os
import struct
import subprocess
import sys
import tempfile
import wave

RATE = 24_000
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(os.path.dirname(HERE), "sounds")


def write_wav(name, samples):
    peak = max(1e-9, max(abs(s) for s in samples))
    scale = 0.5 / peak  # every cue peaks at -6 dBFS; volume is set in the app
    path = os.path.join(OUT, name)
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(b"".join(struct.pack("<h", int(max(-1, min(1, s * scale)) * 32767)) for s in samples))
    print(f"{path}: {len(samples) / RATE:.2f} s")


def tone(seconds, partials, attack=0.012, decay=None, glide=0.0):
    """A warm tone: partials (frequency, gain), a short soft attack, an exponential or cosine tail.
    `glide` bends the pitch by that fraction over the sound (rising inhale, falling exhale)."""
    n = int(seconds * RATE)
    out = []
    phases = [0.0] * len(partials)
    for i in range(n):
        t = i / RATE
        env = min(1.0, t / attack) if attack > 0 else 1.0
        if decay:
            env *= math.exp(-t / decay)
        # fade the last 30 ms to silence so nothing clicks
        env *= min(1.0, (n - i) / (0.03 * RATE))
        bend = 1.0 + glide * (t / seconds)
        s = 0.0
        for k, (freq, gain) in enumerate(partials):
            phases[k] += 2 * math.pi * freq * bend / RATE
            s += gain * math.sin(phases[k])
        out.append(s * env)
    return out


def speak(name, text):
    with tempfile.TemporaryDirectory() as tmp:
        raw = os.path.join(tmp, "raw.wav")
        subprocess.run(["espeak-ng", "-v", "en+f3", "-s", "125", "-a", "80", "-w", raw, text], check=True)
        # resample to 48 kHz mono, trim leading silence so the word starts on the cue's sample
        subprocess.run(["sox", raw, "-r", str(RATE), "-c", "1", "-b", "16", os.path.join(OUT, name),
                        "silence", "1", "0.005", "0.5%", "gain", "-n", "-6"], check=True)
    print(f"{os.path.join(OUT, name)}: '{text}'")


def main():
    os.makedirs(OUT, exist_ok=True)
    # Soft tones: a rising G for the inhale, a falling D for the exhale, a muted E for holds.
    write_wav("inhale.wav", tone(0.9, [(392.0, 1.0), (784.0, 0.18), (1176.0, 0.05)], decay=0.45, glide=0.04))
    write_wav("top_up.wav", tone(0.5, [(523.25, 1.0), (1046.5, 0.12)], decay=0.2, glide=0.03))
    write_wav("hold.wav", tone(0.7, [(329.63, 1.0), (659.26, 0.08)], attack=0.02, decay=0.3))
    write_wav("exhale.wav", tone(1.1, [(293.66, 1.0), (587.33, 0.15), (880.0, 0.04)], decay=0.55, glide=-0.05))
    # A soft chime at step starts, a long low bell to close.
    write_wav("chime.wav", tone(2.0, [(659.26, 1.0), (987.77, 0.5), (1318.5, 0.2)], attack=0.005, decay=0.6))
    write_wav("bell.wav", tone(4.0, [(261.63, 1.0), (523.25, 0.45), (690.0, 0.2), (1046.5, 0.1)], attack=0.005, decay=1.3))
    # Spoken cues.
    for name, text in [("voice_inhale.wav", "breathe in"), ("voice_exhale.wav", "breathe out"),
                       ("voice_hold.wav", "hold"), ("voice_top_up.wav", "top up"),
                       ("voice_next.wav", "next step"), ("voice_end.wav", "that is the end. well done")]:
        speak(name, text)


if __name__ == "__main__":
    sys.exit(main())
