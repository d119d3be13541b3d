"""The registry of layouts: name → factory, built-ins registered like any extension.

A layout is a :class:`renderer.plain.PlainLayout` (sub)class: it *places* text on pages
(hooks for headings, titles, furniture…) and may post-process the painted PDF bytes
(``finish``). ``plain`` and the issue-6 variants register themselves with
:func:`register_layout` when their module is imported; :data:`BUILTIN_LAYOUT_MODULES`
lists those modules and :func:`load_builtin_layouts` imports them (datasette's
``DEFAULT_PLUGINS`` pattern). A project-specific layout registers the same way::

    @register_layout("my_gazette")
    class MyGazette(PlainLayout): ...
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Callable, TypeVar

if TYPE_CHECKING:
    from .plain import PlainLayout

#: Layout factories by name; ``factory(fonts, options)`` returns a layout instance.
LAYOUTS: dict[str, Callable[..., PlainLayout]] = {}

#: Modules whose import registers the built-in layouts, in registration order.
BUILTIN_LAYOUT_MODULES: tuple[str, ...] = (
    "renderer.plain",
    "renderer.variants.two_column",
    "renderer.variants.header_footer",
    "renderer.variants.fake_bold",
    "renderer.variants.letter_spaced",
    "renderer.variants.kangxi",
    "renderer.variants.tounicode",
    "renderer.variants.scan",
)

T = TypeVar("T")


def register_layout(name: str) -> Callable[[T], T]:
    """Class decorator registering a layout under ``name`` (a later registration replaces it)."""

    def deco(cls: T) -> T:
        LAYOUTS[name] = cls  # type: ignore[assignment]
        return cls

    return deco


def load_builtin_layouts() -> dict[str, Callable[..., PlainLayout]]:
    """Import every module of :data:`BUILTIN_LAYOUT_MODULES` (idempotent) and return :data:`LAYOUTS`."""
    for module in BUILTIN_LAYOUT_MODULES:
        importlib.import_module(module)
    return LAYOUTS
