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
// Date boxes (clubs.forms.DateInput): typed as dd/mm/yyyy whatever the browser's language. The
// slashes come by themselves as digits are typed; a calendar button opens the browser's own picker
// (shown in the browser's language, but the box keeps dd/mm/yyyy).
(function () {
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function toIso(text) {
    var m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text.trim());
    return m ? m[3] + "-" + pad(+m[2]) + "-" + pad(+m[1]) : "";
  }
  document.querySelectorAll("input[data-date-input]").forEach(function (box) {
    box.addEventListener("input", function (event) {
      if (event.inputType && event.inputType.indexOf("delete") === 0) return;
      var v = box.value;
      if (/^\d{2}$/.test(v) || /^\d{1,2}\/\d{2}$/.test(v)) box.value = v + "/";
      else if (/^\d{8}$/.test(v)) box.value = v.slice(0, 2) + "/" + v.slice(2, 4) + "/" + v.slice(4);
    });
    var picker = document.createElement("input");
    picker.type = "date";
    if (typeof picker.showPicker !== "function") return;
    picker.tabIndex = -1;
    picker.setAttribute("aria-hidden", "true");
    picker.className = "date-picker-proxy";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-outline-secondary date-picker-button";
    button.setAttribute("aria-label", document.documentElement.lang === "en" ? "Pick a date" : "Chọn ngày trên lịch");
    // A calendar drawn in SVG: emoji fonts are missing on some phones.
    var ns = "http://www.w3.org/2000/svg";
    var icon = document.createElementNS(ns, "svg");
    icon.setAttribute("viewBox", "0 0 16 16");
    icon.setAttribute("width", "16");
    icon.setAttribute("height", "16");
    icon.setAttribute("aria-hidden", "true");
    var path = document.createElementNS(ns, "path");
    path.setAttribute("fill", "currentColor");
    path.setAttribute("d", "M4 0h1v2h6V0h1v2h2a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H2a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2h2zM1 6v8a1 1 0 0 0 1 1h12a1 1 0 0 0 1-1V6zm2 2h2v2H3zm4 0h2v2H7zm4 0h2v2h-2zM3 11h2v2H3zm4 0h2v2H7z");
    icon.appendChild(path);
    button.appendChild(icon);
    var wrap = document.createElement("span");
    wrap.className = "date-input-wrap";
    box.parentNode.insertBefore(wrap, box);
    wrap.appendChild(box);
    wrap.appendChild(button);
    wrap.appendChild(picker);
    button.addEventListener("click", function () {
      picker.value = toIso(box.value);
      try { picker.showPicker(); } catch (e) { box.focus(); }
    });
    picker.addEventListener("change", function () {
      var p = picker.value.split("-");
      if (p.length === 3) {
        box.value = p[2] + "/" + p[1] + "/" + p[0];
        box.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
  });
})();
// Filters folded away on a phone (<details data-open-wide>) stand open on a wider screen.
document.querySelectorAll("details[data-open-wide]").forEach(function (box) {
  if (window.matchMedia("(min-width: 768px)").matches) box.open = true;
});
// A form sent back with errors: the summary at its top takes the focus, so it is seen and read first.
(function () {
  var summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();
})();
// Fields that apply to one choice of another field only (<select data-only-for-field="role"
// data-only-for="province_officer">, clubs.forms.PersonRoleForm): hidden, with their label, while the
// other field holds something else. Without this script they all show and the server ignores the rest.
document.querySelectorAll("[data-only-for]").forEach(function (field) {
  var chooser = field.form && field.form.elements[field.getAttribute("data-only-for-field")];
  var box = field.closest(".mb-3") || field;
  if (!chooser) return;
  function update() { box.hidden = chooser.value !== field.getAttribute("data-only-for"); }
  chooser.addEventListener("change", update);
  update();
});
