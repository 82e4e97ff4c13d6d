#!/usr/bin/env python3
"""Writes the Debian changelog of `make deb` from the release notes in the AppStream metainfo
(one entry per <release>, newest first), so the two never disagree.

    scripts/make-changelog.py METAINFO CARGO_TOML OUT
    scripts/make-changelog.py --check      (make check: the notes' words are all kept)

The maintainer is the one Cargo.toml's [package.metadata.deb] names."""

import email.utils
import sys
import tomllib
import textwrap
import xml.etree.ElementTree as ET
from datetime import datetime, timezone


def words(element):
    """All the text of an element, inline markup (<em>, <code>) and what follows it included."""
    return " ".join("".join(element.itertext()).split())


def bullets(description):
    """The release notes as changelog lines: each paragraph and list item one bullet."""
    for element in description:
        if element.tag == "p":
            yield words(element)
        elif element.tag in ("ul", "ol"):
            for item in element.findall("li"):
                yield words(item)


def check():
    """Release notes with inline markup keep every word (element.text alone stopped at it)."""
    description = ET.fromstring(
        "<description><p>A <em>calmer</em> evening theme, and <code>checkin --date</code> for a"
        " missed day.</p><ul><li><em>Your days</em> shows the course.</li><li>Plain.</li></ul>"
        "</description>"
    )
    got = list(bullets(description))
    wanted = [
        "A calmer evening theme, and checkin --date for a missed day.",
        "Your days shows the course.",
        "Plain.",
    ]
    if got != wanted:
        sys.exit(f"make-changelog.py --check: {got} is not {wanted}")
    print("make-changelog.py: release notes with inline markup keep every word")


def main():
    if sys.argv[1:] == ["--check"]:
        check()
        return
    if len(sys.argv) != 4:
        sys.exit("usage: make-changelog.py METAINFO CARGO_TOML OUT")
    metainfo, cargo_toml, out = sys.argv[1:]
    with open(cargo_toml, "rb") as f:
        maintainer = tomllib.load(f)["package"]["metadata"]["deb"]["maintainer"]
    component = ET.parse(metainfo).getroot()
    package = component.findtext("provides/binary") or "downshift"
    releases = component.findall("releases/release")
    if not releases:
        sys.exit(f"{metainfo}: no <release> to take the changelog from")
    entries = []
    for release in releases:
        version = release.get("version")
        day = datetime.strptime(release.get("date"), "%Y-%m-%d").replace(tzinfo=timezone.utc)
        notes = list(bullets(release.find("description")))
        if not version or not notes:
            sys.exit(f"{metainfo}: release {version!r} has no version or no notes")
        lines = [f"{package} ({version}-1) unstable; urgency=medium", ""]
        for note in notes:
            wrapped = textwrap.wrap(note, width=76)
            lines.append("  * " + wrapped[0])
            lines.extend("    " + more for more in wrapped[1:])
        lines += ["", f" -- {maintainer}  {email.utils.format_datetime(day)}", ""]
        entries.append("\n".join(lines))
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(entries))


if __name__ == "__main__":
    main()
