"""What a notebook's kernel pays for importing certlab (issue 14: thirty learners, fresh kernels).

Every notebook opens a fresh kernel and a class of thirty shares one server's cores,
so ``from certlab.widgets import CertificateLab`` imports the lab and what it needs,
not every other form's machinery (the ACME client, the zoo's servers, the sandbox)
nor the ASN.1 schemas before anything is explored. Each check runs in a fresh
interpreter: ``sys.modules`` of this test process says nothing about a kernel's.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

# modules the lab's import must leave alone: other forms and their core modules, the
# explorer and its schemas (pyasn1-alt-modules builds every CMS/PKCS#12 type on
# import: rfc5652 alone took ~0.1 s), pkilint (its validators: when findings are asked)
_NOT_AT_IMPORT = (
    "certlab.acme", "certlab.zoo", "certlab.revocation", "certlab.tls", "certlab.sandbox",
    "certlab.chain", "certlab.explorer", "certlab.schema", "certlab.findings",
    "certlab.widgets.acme", "certlab.widgets.compare", "certlab.widgets.inspector",
    "certlab.widgets.mystery", "certlab.widgets.sandbox",
    "pyasn1_alt_modules.rfc5652", "pyasn1_alt_modules.rfc7292", "pyasn1_alt_modules.rfc2985",
    "pkilint", "acme", "josepy", "ssl", "cryptography.hazmat.primitives.serialization.pkcs7",
)
# what a lab never needs, even once it has drawn every view: the other forms' core modules,
# the chain verifier, cryptography's PKCS#7 module (it imports the email package, ~1 MB)
_NOT_FOR_A_LAB = ("certlab.acme", "certlab.zoo", "certlab.revocation", "certlab.tls", "certlab.sandbox",
                  "certlab.chain", "cryptography.hazmat.primitives.serialization.pkcs7",
                  "certlab.widgets.acme", "certlab.widgets.mystery", "certlab.widgets.sandbox", "acme", "josepy")


def _fresh(code: str) -> dict[str, object]:
    """Run ``code`` in a fresh interpreter; it prints one JSON line, returned here."""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def test_importing_the_lab_loads_only_the_lab() -> None:
    out = _fresh(
        "import json, sys\n"
        "from certlab.widgets import CertificateLab\n"
        "import certlab.widgets.lab as lab\n"
        f"print(json.dumps({{'same': CertificateLab is lab.CertificateLab,"
        f" 'loaded': sorted(m for m in {_NOT_AT_IMPORT!r} if m in sys.modules)}}))\n"
    )
    assert out["same"] is True
    assert out["loaded"] == []


def test_a_lab_drawn_needs_no_other_forms_machinery() -> None:
    out = _fresh(
        "import json, sys\n"
        "from certlab.widgets import CertificateLab\n"
        "lab = CertificateLab(mode='ca-signed')\n"
        "assert lab.error is None, lab.error\n"
        "for i in range(len(lab.views.pane_names)):\n"
        "    lab.views.tabs.selected_index = i\n"
        f"print(json.dumps({{'loaded': sorted(m for m in {_NOT_FOR_A_LAB!r} if m in sys.modules),"
        " 'explored': 'certlab.explorer' in sys.modules}))\n"
    )
    assert out["explored"] is True  # the views did draw the tree: the import only waited for it
    assert out["loaded"] == []


def test_import_certlab_loads_no_widgets_and_no_cryptography() -> None:
    # names resolve on first use (certlab/__init__.py): importing the package costs nothing heavy
    out = _fresh(
        "import json, sys\n"
        "import certlab\n"
        "heavy = ('ipywidgets', 'IPython', 'traitlets', 'cryptography', 'pyasn1', 'pyasn1_alt_modules', 'pkilint')\n"
        "print(json.dumps({'loaded': sorted(m for m in sys.modules if m.split('.')[0] in heavy)}))\n"
    )
    assert out["loaded"] == []


def test_pkilint_validators_are_built_once_when_findings_are_first_asked() -> None:
    out = _fresh(
        "import json, sys\n"
        "from certlab.widgets import CertificateLab\n"
        "imported = 'pkilint' in sys.modules\n"
        "lab = CertificateLab(mode='self-signed', pkilint=False)\n"
        "from certlab.findings import pkilint_adapter as pa\n"
        "without = pa._pkix_certificate_validator.cache_info().currsize\n"
        "lab.views.run_pkilint()\n"
        "asked = pa._pkix_certificate_validator.cache_info()\n"
        "CertificateLab(mode='self-signed')\n"
        "again = pa._pkix_certificate_validator.cache_info()\n"
        "print(json.dumps({'imported': imported, 'without': without, 'asked': asked.currsize,"
        " 'again': [again.currsize, again.misses]}))\n"
    )
    assert out["imported"] is False
    assert out["without"] == 0  # pkilint=False: no validator built
    assert out["asked"] == 1
    assert out["again"] == [1, 1]  # the next lab reuses it


def test_every_widget_name_resolves_and_is_listed() -> None:
    import certlab.widgets as widgets

    names = {"AcmeFlow", "BreakIt", "CertificateLab", "Compare", "ExtensionsForm", "Inspector", "KeyPanel",
             "MysteryServer", "ObjectView", "SanList", "SubjectForm", "ValidityForm", "Views",
             "disable_rich_display", "enable_rich_display", "show"}
    assert set(widgets.__all__) == names
    assert set(widgets._LAZY) <= names  # every lazy name is exported (mypy reads __all__)
    assert names <= set(dir(widgets))
    for name in sorted(names):
        value = getattr(widgets, name)
        assert getattr(value, "__name__", None) == name, (name, value)
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        widgets.Nope  # noqa: B018
    with pytest.raises(ImportError):
        exec("from certlab.widgets import Nope", {})


def test_show_stays_the_function_when_its_module_is_imported() -> None:
    # ``show`` is a submodule too: importing it must not turn certlab.widgets.show into a module
    out = _fresh(
        "import json, sys, types\n"
        "import certlab.widgets.show\n"
        "import certlab.widgets as w\n"
        "import certlab\n"
        "print(json.dumps({'fn': callable(w.show) and not isinstance(w.show, types.ModuleType),"
        " 'top': certlab.show is w.show}))\n"
    )
    assert out == {"fn": True, "top": True}
