"""schema-generator: JSON Schema -> typed dataclasses, compiled validators and API clients.

The pipeline, one module per stage (a newcomer can read them in this order):

1. ``load.py``      read schema files (clear errors for unreadable or invalid JSON)
2. ``check.py``     validate each schema against its draft's metaschema (jsonschema)
3. ``resolve.py``   a ``referencing`` registry; ``$ref``/``$id``/``$anchor`` resolution
4. ``build_ir.py``  the IR (``ir.py``: frozen dataclasses, no rendering logic);
                    ``validation/`` compiles the validator IR from the same resolved schemas
5. ``naming.py``    one pass that decides every identifier
6. ``render.py``    Jinja templates from ``templates/`` (overridable per file)
7. ``format.py``    black, in process
8. ``write.py``     all-or-nothing replacement of the output package

``pipeline.py`` chains them; ``cli.py`` is ``python -m generator``.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

__all__ = ["__version__", "compile_validator"]


def compile_validator(schema: Any, **kwargs: Any) -> Any:
    """Compile ``schema`` to an in-memory validator (see ``generator.validation.api``)."""
    from .validation import compile_validator as _compile

    return _compile(schema, **kwargs)
