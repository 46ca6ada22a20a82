// Django's two-box selector (filter_horizontal: a partner's officers, a user's groups) names each
// of its filter boxes with a search icon: a <span> with an aria-label, which ARIA does not allow
// on an element with no role (axe-core's aria-prohibited-attr), so the box may go unnamed. The
// icon is made an image of that name. SelectFilter2.js builds the selector on the window's load,
// from a script in the page's head; this one, at the end of the body (templates/admin/
// base_site.html), listens to the same event after it.
"use strict";
window.addEventListener("load", () => {
    for (const icon of document.querySelectorAll(".selector .search-label-icon[aria-label]")) {
        icon.setAttribute("role", "img");
    }
});
