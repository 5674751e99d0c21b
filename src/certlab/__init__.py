"""certlab: learn X.509 by building keys, CSRs and certificates and reading every byte.

The package is a pure core (specs, building, DER reading, naming, explaining,
findings) plus renderers and ipywidgets forms. Importing ``certlab`` is cheap
and never imports ipywidgets: names are resolved lazily on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# public name -> module that defines it (resolved on first attribute access)
_LAZY: dict[str, str] = {
    # errors
    "CertlabError": "errors",
    "SpecError": "errors",
    "InvalidSpec": "errors",
    "LoadError": "errors",
    "WrongKind": "errors",
    # specs and building (issue: foundation)
    "KeySpec": "spec",
    "Subject": "spec",
    "CsrSpec": "spec",
    "CertificateSpec": "spec",
    "spec_from_form": "spec",
    "spec_to_form": "spec",
    "normalize_san": "spec",
    "generate_key": "build",
    "build_csr": "build",
    "build_self_signed": "build",
    "TeachingCA": "build",
    "key_algorithm_of": "build",
    "python_code": "codegen",
    "openssl_command": "codegen",
    "openssl_args": "codegen",
    "load": "load",
    "Loaded": "load",
    "save": "load",
    "work_folder": "workdir",
    "load_file": "load",
    "public_bytes": "load",
    "kind_of": "load",
    "private_key_bytes": "load",
    # the ASN.1 explorer
    "explore": "explorer",
    "Explored": "explorer",
    # fields, findings, chains
    "describe": "fields",
    "find": "findings",
    "verify_chain": "chain",
    # pictures and the TLS step of notebook 05
    "flow_svg": "render.svg",
    "byte_map_svg": "render.svg",
    "chain_svg": "render.svg",
    "serve_https": "tls",
    "fetch": "tls",
    # step 4 for real: ACME against a local pebble (notebook 07)
    "Pebble": "acme",
    "AcmeSession": "acme",
    "AcmeProblem": "acme",
    # widgets (imports ipywidgets only when called)
    "show": "widgets",
}

__all__ = sorted([*_LAZY, "__version__"])


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'certlab' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"certlab.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__


if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    # the lazy names with their real types (a user's ``reveal_type(certlab.build_csr)`` is not Any);
    # test_package checks that this list and _LAZY agree
    from .acme import (
        AcmeProblem as AcmeProblem,
        AcmeSession as AcmeSession,
        Pebble as Pebble,
    )
    from .build import (
        TeachingCA as TeachingCA,
        build_csr as build_csr,
        build_self_signed as build_self_signed,
        generate_key as generate_key,
        key_algorithm_of as key_algorithm_of,
    )
    from .chain import (
        verify_chain as verify_chain,
    )
    from .codegen import (
        openssl_args as openssl_args,
        openssl_command as openssl_command,
        python_code as python_code,
    )
    from .errors import (
        CertlabError as CertlabError,
        InvalidSpec as InvalidSpec,
        LoadError as LoadError,
        SpecError as SpecError,
        WrongKind as WrongKind,
    )
    from .explorer import (
        Explored as Explored,
        explore as explore,
    )
    from .fields import (
        describe as describe,
    )
    from .findings import (
        find as find,
    )
    from .load import (
        Loaded as Loaded,
        kind_of as kind_of,
        load as load,
        load_file as load_file,
        private_key_bytes as private_key_bytes,
        public_bytes as public_bytes,
        save as save,
    )
    from .workdir import work_folder as work_folder
    from .render.svg import (
        byte_map_svg as byte_map_svg,
        chain_svg as chain_svg,
        flow_svg as flow_svg,
    )
    from .spec import (
        CertificateSpec as CertificateSpec,
        CsrSpec as CsrSpec,
        KeySpec as KeySpec,
        Subject as Subject,
        normalize_san as normalize_san,
        spec_from_form as spec_from_form,
        spec_to_form as spec_to_form,
    )
    from .tls import (
        fetch as fetch,
        serve_https as serve_https,
    )
    from .widgets.show import (
        show as show,
    )
