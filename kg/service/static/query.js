// The query editor's small helpers. The page works without them: the form submits by GET.
(function () {
  "use strict";
  var form = document.getElementById("editor-form");
  var text = document.getElementById("query-text");
  if (!form || !text) { return; }
  // Ctrl+Enter (or Cmd+Enter) runs the query.
  text.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.submit();
    }
  });
  // Shift+click on an example puts its text into the editor instead of opening it.
  var examples = document.querySelectorAll("ul.examples a[data-query]");
  Array.prototype.forEach.call(examples, function (link) {
    link.addEventListener("click", function (event) {
      if (!event.shiftKey) { return; }
      event.preventDefault();
      text.value = link.getAttribute("data-query");
      text.focus();
    });
  });
})();
