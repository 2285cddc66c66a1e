// pubtool serve: reload the page when the book is built again; the translator view.
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="pubtool-generation"]');
  var generation = meta ? meta.getAttribute("content") : null;
  var key = "pubtool-translator";
  var asked = new URLSearchParams(location.search).get("translator");
  if (asked !== null) {
    localStorage.setItem(key, asked === "1" ? "1" : "0");
  }
  var toggle = document.getElementById("pubtool-translator");
  function show() {
    var on = localStorage.getItem(key) === "1";
    document.documentElement.classList.toggle("pubtool-translator", on);
    if (toggle) {
      toggle.setAttribute("aria-pressed", on ? "true" : "false");
      toggle.setAttribute("href", "?translator=" + (on ? "0" : "1"));
    }
  }
  show();
  if (toggle) {
    toggle.addEventListener("click", function (event) {
      event.preventDefault();
      localStorage.setItem(key, localStorage.getItem(key) === "1" ? "0" : "1");
      show();
    });
  }
  var events = new EventSource("/_pubtool/events");
  events.onmessage = function (event) {
    if (generation !== null && event.data !== generation) {
      events.close();
      location.reload();
    }
  };
})();
