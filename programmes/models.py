"""Models of the menu and the programmes: empty until the menu and programme issues land."""
