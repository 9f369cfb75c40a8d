"""Network trust (网络信任体系): crypto suites now; CA/RA, certificates and
certificate login build on :mod:`egov.trust.crypto` later.

Not yet a Django app (no models): the package only needs to be importable.
"""
