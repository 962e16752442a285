/* Display modes without a page load: the links work on their own (they set the cookie on the server);
   this only saves the round trip and keeps the keyboard focus where it was. */
(function () {
  "use strict";
  var YEAR = 365 * 24 * 3600;
  var COOKIES = { elder: "gk_elder", a11y: "gk_a11y" };
  document.querySelectorAll("a.display-mode[data-mode]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var mode = link.getAttribute("data-mode");
      var cookie = COOKIES[mode];
      if (!cookie) { return; }
      event.preventDefault();
      var on = link.getAttribute("data-on") !== "1";
      document.cookie = cookie + "=" + (on ? "1; max-age=" + YEAR : "; max-age=0") + "; path=/; samesite=lax";
      document.body.classList.toggle("mode-" + mode, on);
      link.setAttribute("data-on", on ? "1" : "0");
      link.textContent = link.getAttribute(on ? "data-label-on" : "data-label-off");
      link.href = link.href.replace(/([?&]on=)[01]/, "$1" + (on ? "0" : "1"));
    });
  });
})();
