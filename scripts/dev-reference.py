#!/usr/bin/env python3
"""The reference data for a development suite (`make run`, the integrating guide's test, the fault suite): a copy
of reference/ with one cohort more, `<year>z`, open for registration all of this year (Europe/London), offering
every course the newest real cohort offers, on that cohort's schedules moved to the new cohort's dates, under the
newest funding policy version — so that an application can be tried, accepted and scheduled whatever the day. Never for a deployment: real cohorts come from DfE's dates (docs/reference-data.md).

  dev-reference.py TARGET [--year YYYY]      writes TARGET/cohorts and TARGET/eligibility (replacing what is
                                             there); prints the cohort's name
Only the standard library is used.
"""

import argparse
import datetime
import json
import shutil
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", type=Path)
    parser.add_argument("--year", type=int, default=datetime.datetime.now(ZoneInfo("Europe/London")).year)
    arguments = parser.parse_args()
    source, target, year = ROOT / "reference", arguments.target, str(arguments.year)
    cohort = year + "z"
    for folder in ("cohorts", "eligibility"):
        shutil.rmtree(target / folder, ignore_errors=True)
        shutil.copytree(source / folder, target / folder)

    def edit(path, change):
        file = target / path
        data = json.loads(file.read_text())
        change(data)
        file.write_text(json.dumps(data, indent=1) + "\n")

    cohorts = json.loads((source / "cohorts/cohorts.json").read_text())["cohorts"]
    newest = max(cohorts, key=lambda entry: entry["registrationOpens"])["cohort"]
    offerings = json.loads((source / "cohorts/offerings.json").read_text())["offerings"]
    edit(
        "cohorts/cohorts.json",
        lambda data: data["cohorts"].append(
            {
                "cohort": cohort,
                "fundingMode": "capped",
                "registrationOpens": year + "-01-01",
                "registrationCloses": year + "-12-31",
                "startDate": year + "-12-31",
                "description": "development only: open all year so that applications can be tried any day",
            }
        ),
    )
    edit(
        "cohorts/offerings.json",
        lambda data: data["offerings"].extend(
            {**offering, "cohort": cohort} for offering in offerings if offering["cohort"] == newest
        ),
    )
    # The newest cohort's schedules, moved by as many days as the development cohort starts after it, so that an
    # accepted application can be scheduled (and its school told) as in a real cohort.
    start = datetime.date.fromisoformat(year + "-12-31")
    newest_start = datetime.date.fromisoformat(
        next(entry["startDate"] for entry in cohorts if entry["cohort"] == newest)
    )
    shift = start - newest_start
    schedules = json.loads((source / "cohorts/schedules.json").read_text())["schedules"]

    def moved(schedule):
        milestones = [
            {**milestone, "date": (datetime.date.fromisoformat(milestone["date"]) + shift).isoformat()}
            for milestone in schedule["milestones"]
        ]
        copy = {**schedule, "cohort": cohort, "milestones": milestones}
        copy["note"] = f"development only: {newest}'s schedule moved by {shift.days} days"
        return copy

    edit(
        "cohorts/schedules.json",
        lambda data: data["schedules"].extend(moved(entry) for entry in schedules if entry["cohort"] == newest),
    )
    edit("eligibility/policy.json", lambda data: data["versions"][-1]["cohorts"].append(cohort))
    print(cohort)


if __name__ == "__main__":
    try:
        main()
    except (OSError, KeyError, ValueError) as error:
        print(f"dev-reference.py: {error}", file=sys.stderr)
        sys.exit(1)
