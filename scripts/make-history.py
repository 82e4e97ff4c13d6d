#!/usr/bin/env python3
"""Writes a history.log of N made-up sessions, one a day or so going back from 2026-11-23, in the
format downshift writes (one RON record a line). For start-up and memory measurements.
    scripts/make-history.py N FILE"""
import sys
from datetime import datetime, timedelta

count, path = int(sys.argv[1]), sys.argv[2]
practices = ["Extended exhale 4-6", "Night 3-7", "Box 4-4-4-4", "Work to home", "Cyclic sighing"]
start = datetime(2026, 11, 23, 21, 0, 0)
with open(path, "w") as out:
    for i in range(count):
        when = start - timedelta(minutes=37 * (count - i))
        practice = practices[i % len(practices)]
        out.write(
            f'(version:1,id:"{when:%Y%m%dT%H%M%S}-{i % 65536:04x}",'
            f'started:"{when:%Y-%m-%dT%H:%M:%S}+00:00",practice:"{practice}",'
            f'practised:"4-6, 5 min",planned_seconds:300.0,breathed_seconds:{60 + i % 600}.0,'
            f'paused_seconds:0.0,breaths:{6 + i % 60},end:Completed,'
            f'tension_before:{i % 9},tension_after:{i % 5},app_version:"bench")\n'
        )
