"""The validator compiler: JSON Schema -> plain-Python validator functions.

Public surface (the rest of the pipeline codes against exactly this):

* :class:`Entry` and :func:`compile_module` -- entries -> frozen
  :class:`~.ir.ValidatorModule`, rendered by ``templates/validators.py.j2``;
* :func:`compile_validator` -- the same, in memory: returns an object with
  ``is_valid``, ``validate`` and ``iter_errors``.

Layout: :mod:`.ir` (frozen IR, two layers), :mod:`.compiler` + :mod:`.keywords`
(schema -> IR layer 1, one worklist entry per subschema), :mod:`.emit` (fast
path) + :mod:`.emit_slow` (error and annotation paths) -> IR layer 2,
:mod:`.build` (the passes: aliases, reference counts, cycles, annotation
closure, naming, reachability), :mod:`.regex` (ECMA-262 -> ``re``),
:mod:`.formats` + :mod:`.runtime_formats` (stdlib-only format checkers copied
into the output), :mod:`.api` (in memory).

The generated module's ``schema_path`` is the JSON pointer of the failing
keyword inside the document that defines it (after ``$ref``s, the target's
document); ``instance_path`` is a JSON pointer into the instance.
"""

from __future__ import annotations

from .api import CompiledValidator, compile_validator
from .build import Entry, compile_module
from .ir import ValidatorModule

__all__ = ["CompiledValidator", "Entry", "ValidatorModule", "compile_module", "compile_validator"]
