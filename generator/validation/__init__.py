"""The validator compiler: JSON Schema -> plain-Python validator functions.

Public surface (the rest of the pipeline codes against exactly this):

* :class:`Entry` and :func:`compile_module` -- entries -> frozen
  :class:`~.ir.ValidatorModule`, rendered by ``templates/validators.py.j2``;
* :func:`compile_validator` -- the same, in memory: returns an object with
  ``is_valid``, ``validate`` and ``iter_errors``.

Layout: :mod:`.ir` (frozen IR), :mod:`.compiler` + :mod:`.keywords` (schema ->
IR, worklist), :mod:`.emit` + :mod:`.emit_slow` (IR -> function bodies),
:mod:`.build` (passes + naming), :mod:`.regex` (ECMA-262 -> ``re``),
:mod:`.formats`, :mod:`.api`.
"""

from __future__ import annotations

from .api import CompiledValidator, compile_validator
from .build import Entry, compile_module
from .ir import ValidatorModule

__all__ = ["CompiledValidator", "Entry", "ValidatorModule", "compile_module", "compile_validator"]
