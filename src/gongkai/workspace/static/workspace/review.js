// Review queue: a "select all" box for batch approval. Without JavaScript each task is ticked by hand, and the
// box stays hidden (it is marked `hidden` in the page and shown here).
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-select-all]").forEach(function (box) {
    var name = box.getAttribute("data-select-all");
    var form = box.form;
    var items = function () { return form.querySelectorAll('input[type="checkbox"][name="' + name + '"]:not(:disabled)'); };
    box.closest("[hidden]") && box.closest("[hidden]").removeAttribute("hidden");
    box.addEventListener("change", function () {
      items().forEach(function (item) { item.checked = box.checked; });
    });
    form.addEventListener("change", function (event) {
      if (event.target === box) { return; }
      var all = items();
      var ticked = Array.prototype.filter.call(all, function (item) { return item.checked; }).length;
      box.checked = all.length > 0 && ticked === all.length;
      box.indeterminate = ticked > 0 && ticked < all.length;
    });
  });
});
