"""Small helpers every view uses: stable CSS classes, visible labels, messages, show/hide."""

from __future__ import annotations

from html import escape

import ipywidgets as w

from ..i18n import Message, t

LABEL_STYLE = {"description_width": "initial"}


def tag(widget: w.Widget, *classes: str) -> w.Widget:
    """Add stable ``makker-*`` CSS classes (browser tests and scripts rely on them)."""
    for css in classes:
        widget.add_class(css)
    return widget


WIDTHS = {w.IntSlider: "560px", w.FloatSlider: "560px", w.Dropdown: "480px", w.DatePicker: "360px",
          w.IntProgress: "560px", w.FileUpload: "auto", w.Checkbox: "auto"}

PAGE_CSS = """<style>
.makker-app a[download]{color:#0b4f8a;text-decoration:underline;font-weight:600;font-size:15px}
.makker-app a[download]::before{content:"\\2193  "}
.makker-app a:focus,.makker-app button:focus,.makker-app select:focus,.makker-app input:focus,
.makker-app .noUi-handle:focus{outline:3px solid #0b4f8a;outline-offset:2px}
.makker-app td{white-space:nowrap}
.makker-app .widget-label{color:#1a1a1a}
</style>"""


def labelled(widget: w.Widget, *classes: str) -> w.Widget:
    """A control whose ``description`` is shown in full next to it (visible label)."""
    if "description" in widget.keys and not isinstance(widget, (w.Button, w.ToggleButton, w.FileUpload)):
        widget.style = LABEL_STYLE
    width = WIDTHS.get(type(widget))
    if width:
        widget.layout.width = width
        widget.layout.max_width = "100%"
    return tag(widget, *classes)


def describe(lang: str, *labels: tuple[w.Widget, str]) -> None:
    """Give each control its visible label: ``(widget, catalog key)`` pairs, in ``lang``."""
    for widget, key in labels:
        widget.description = t(key, lang)


def message_html(error: Message | None, status: Message | None, lang: str) -> str:
    """A panel's message line next to its controls: the error as an alert, else the status, else nothing."""
    if error is not None:
        return f"<p role=\"alert\" style=\"color:#a40000\">{escape(error.render(lang))}</p>"
    if status is not None:
        return f"<p role=\"status\">{escape(status.render(lang))}</p>"
    return ""


def set_visible(widget: w.Widget, visible: bool) -> None:
    widget.layout.display = None if visible else "none"


def image(*classes: str) -> w.Image:
    """A PNG image widget, hidden until it has content."""
    img = w.Image(format="png", layout=w.Layout(max_width="100%", height="auto", display="none"))
    return tag(img, *classes)


def show_image(widget: w.Image, data: bytes, alt: str) -> None:
    """Put PNG bytes in. ``alt`` is shown by the caller as a visible caption.

    No ``tooltip`` on the Image: in ipywidgets 8.1 a widget without a
    description fails to render in the browser when it has a tooltip
    ("Could not create a view", jupyter-widgets/ipywidgets#3860).
    """
    if data:
        widget.value = data
    set_visible(widget, bool(data))


def presentation_switch(model) -> w.Checkbox:
    """The presentation switch: a checkbox linked to ``model.presentation``, labelled in ``model.lang``.

    The dashboard's header and the training course show the same switch;
    ``model`` is the app model (any object with ``presentation`` and ``lang`` traits).
    """
    switch = labelled(w.Checkbox(value=model.presentation, indent=False), "makker-presentation")
    w.link((switch, "value"), (model, "presentation"))

    def label(change=None):
        switch.description = t("app.presentation", model.lang)

    label()
    model.observe(label, names="lang")
    return switch
