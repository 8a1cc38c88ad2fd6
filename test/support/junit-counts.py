"""Counts of a JUnit XML file as an independent parser reads them (Debian's python3-junitparser).

Prints JSON: the root's and each suite's tests/failures/errors/skipped attributes, and the same counted from the
<testcase> elements themselves (a <flakyFailure> or <rerunFailure> is not a failure to a CI dashboard).
"""
import json
import sys

from junitparser import Error, Failure, JUnitXml, Skipped


def attrs(node):
    return {k: getattr(node, k) or 0 for k in ("tests", "failures", "errors", "skipped")}


def elements(cases):
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for case in cases:
        counts["tests"] += 1
        results = case.result if isinstance(case.result, list) else [case.result] if case.result else []
        counts["failures"] += sum(isinstance(r, Failure) for r in results)
        counts["errors"] += sum(isinstance(r, Error) for r in results)
        counts["skipped"] += sum(isinstance(r, Skipped) for r in results)
    return counts


xml = JUnitXml.fromfile(sys.argv[1])
suites = [
    {"name": suite.name, "attributes": attrs(suite), "elements": elements(list(suite))} for suite in xml
]
total = {k: sum(s["elements"][k] for s in suites) for k in ("tests", "failures", "errors", "skipped")}
print(json.dumps({"root": {"attributes": attrs(xml), "elements": total}, "suites": suites}))
