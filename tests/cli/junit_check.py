# junit_check.py FILE TESTS FAILURES: the JUnit XML is well formed and counts as expected.
import sys
import xml.dom.minidom

doc = xml.dom.minidom.parse(sys.argv[1])
root = doc.documentElement
assert root.tagName == "testsuites", root.tagName
tests = int(root.getAttribute("tests"))
failures = int(root.getAttribute("failures"))
cases = doc.getElementsByTagName("testcase")
assert tests == int(sys.argv[2]) == len(cases), (tests, len(cases))
assert failures == int(sys.argv[3]), failures
assert len(doc.getElementsByTagName("failure")) >= failures
print("junit ok:", tests, "tests,", failures, "failures")
