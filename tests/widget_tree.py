"""Finding widgets in the app's tree by their stable CSS class, as a browser test would."""


def walk(widget):
    if hasattr(widget, "build_all_tabs"):  # the app builds a tab when it is first opened
        widget.build_all_tabs()
    yield widget
    for child in getattr(widget, "children", ()):
        yield from walk(child)


def by_class(app, css):
    found = [x for x in walk(app) if css in x._dom_classes]
    assert len(found) == 1, f"{css}: {len(found)} widgets"
    return found[0]
