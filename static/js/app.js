// Small behaviours shared by every page. No inline scripts: the Content-Security-Policy forbids them.
document.addEventListener("change", function (event) {
  var field = event.target;
  if (field.matches && field.matches("[data-autosubmit]")) {
    field.form.submit();
  }
});
// Forms that ask before doing something that cannot be undone: <form data-confirm="…">.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
// Print buttons: <button type="button" data-print hidden>. Hidden in the HTML, they show only when this
// script runs (without it they would do nothing).
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.hidden = false;
});
document.addEventListener("click", function (event) {
  if (event.target.closest && event.target.closest("[data-print]")) {
    window.print();
  }
});
// A table wider than the screen scrolls sideways inside its .table-responsive box. Keyboard users can
// scroll it only if the box takes focus, so the boxes that do scroll get a tab stop (and lose it when
// the window grows enough to show the whole table).
function focusScrollingTables() {
  document.querySelectorAll(".table-responsive").forEach(function (box) {
    if (box.scrollWidth > box.clientWidth) {
      box.setAttribute("tabindex", "0");
      box.setAttribute("data-scrolls", "");
    } else if (box.hasAttribute("data-scrolls")) {
      box.removeAttribute("tabindex");
      box.removeAttribute("data-scrolls");
    }
  });
}
focusScrollingTables();
window.addEventListener("resize", focusScrollingTables);
