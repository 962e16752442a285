/* Progressive enhancement for item pages; every control already works as a plain link without this file.
   Font size: switch in place and remember it; print: open the print dialog instead of the printable page. */
(function () {
  "use strict";
  var KEY = "gongkai.fontSize";
  var body = document.body;
  var links = document.querySelectorAll(".font-switch a[data-fs]");

  function apply(size) {
    body.classList.remove("fs-large", "fs-medium", "fs-small");
    body.classList.add("fs-" + size);
    links.forEach(function (a) {
      if (a.getAttribute("data-fs") === size) { a.setAttribute("aria-current", "true"); }
      else { a.removeAttribute("aria-current"); }
    });
  }

  var fromUrl = new URLSearchParams(window.location.search).get("fs");
  var stored = null;
  try { stored = window.localStorage.getItem(KEY); } catch (e) { /* storage may be disabled */ }
  if (!fromUrl && stored && /^(large|medium|small)$/.test(stored)) { apply(stored); }

  links.forEach(function (a) {
    a.addEventListener("click", function (event) {
      event.preventDefault();
      var size = a.getAttribute("data-fs");
      apply(size);
      try { window.localStorage.setItem(KEY, size); } catch (e) { /* ignore */ }
    });
  });

  var printLink = document.querySelector(".print-link");
  if (printLink && typeof window.print === "function") {
    printLink.addEventListener("click", function (event) {
      event.preventDefault();
      window.print();
    });
  }
}());
