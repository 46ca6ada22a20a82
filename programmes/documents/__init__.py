"""Documents attached to programme versions: checking an upload by its bytes (``checks``),
adding and superseding (``actions``), and the pages that add and serve them (``views``)."""
