"""``egov.trust.pki`` is pure: importing all of it loads no Django module."""

from __future__ import annotations

import subprocess
import sys

MODULES = ["certificates", "encoding", "names", "profiles", "requests", "revocation"]


def test_pki_imports_no_django() -> None:
    imports = "; ".join(f"import egov.trust.pki.{name}" for name in MODULES)
    check = "import sys; print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    result = subprocess.run(  # noqa: S603 - this interpreter, fixed code
        [sys.executable, "-c", f"{imports}; {check}"],
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert result.stdout.strip() == "[]"
