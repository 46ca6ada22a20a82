// The page of a file being prepared (templates/programmes/prepared_file.html): every few seconds
// the page is read again and its status region replaced, until the file is ready or has failed.
// A polite live region: assistive technologies hear the change without the page reloading.
(function () {
  "use strict";
  var region = document.getElementById("prepared-status");
  if (!region || !region.dataset.refresh) {
    return;
  }
  var delay = Number(region.dataset.refresh) * 1000;

  function poll() {
    fetch(window.location.href, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        return response.ok ? response.text() : null;
      })
      .then(function (text) {
        if (text) {
          var fresh = new DOMParser()
            .parseFromString(text, "text/html")
            .getElementById("prepared-status");
          if (fresh) {
            region.innerHTML = fresh.innerHTML;
            region.dataset.refresh = fresh.dataset.refresh || "";
          }
        }
      })
      .catch(function () {
        // Offline for a moment: the next poll tries again.
      })
      .then(function () {
        if (region.dataset.refresh) {
          window.setTimeout(poll, delay);
        }
      });
  }

  window.setTimeout(poll, delay);
})();
