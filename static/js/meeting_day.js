// The meeting day sheet, filled in on a phone during the meeting. Without JavaScript every control
// here stays hidden and the sheet still works as a plain form.
(function () {
  var sheet = document.getElementById("meeting-sheet");
  if (!sheet) return;
  var groups = sheet.querySelectorAll("[role=radiogroup]");

  // One button marks everyone not yet marked as present (the usual case): staff then tap the absentees.
  var allPresent = document.getElementById("all-present");
  if (allPresent) {
    allPresent.hidden = false;
    allPresent.addEventListener("click", function () {
      groups.forEach(function (group) {
        if (!group.querySelector("input:checked")) {
          group.querySelector("input[value=present]").checked = true;
        }
      });
      update();
    });
  }

  // "Nộp đủ": the amounts due go into that borrower's boxes.
  sheet.querySelectorAll("[data-pay-due]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      button.closest("tr").querySelectorAll("input[data-due]").forEach(function (input) {
        var due = parseInt(input.dataset.due, 10);
        input.value = due > 0 ? due.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ".") : "";
      });
      update();
    });
  });

  // Find a name without diacritics ("lo thi" finds "Lò Thị"), and show only who is not yet marked.
  function plain(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase().trim();
  }
  var tools = sheet.querySelector(".sheet-tools");
  var search = sheet.querySelector("[data-sheet-search]");
  var leftOnly = sheet.querySelector("[data-sheet-left]");
  if (tools) tools.hidden = false;
  function filterRows() {
    var words = plain(search ? search.value : "").split(/\s+/).filter(Boolean);
    sheet.querySelectorAll("[data-sheet-row]").forEach(function (row) {
      var name = row.dataset.name || "";
      var shown = words.every(function (word) { return name.indexOf(word) !== -1; });
      if (shown && leftOnly && leftOnly.checked && !row.hasAttribute("data-loan")) {
        shown = !row.querySelector("[role=radiogroup] input:checked");
      }
      row.hidden = !shown;
    });
  }
  if (search) search.addEventListener("input", filterRows);
  if (leftOnly) leftOnly.addEventListener("change", filterRows);

  // The save bar says what a tap on "Lưu" will record.
  var summary = sheet.querySelector("[data-save-summary]");
  function update() {
    if (!summary) return;
    var marked = 0;
    groups.forEach(function (group) { if (group.querySelector("input:checked")) marked += 1; });
    var readings = 0;
    sheet.querySelectorAll("tr[data-sheet-row]:not([data-loan])").forEach(function (row) {
      var filled = Array.prototype.some.call(row.querySelectorAll("input[type=text], input[type=number], input:not([type])"),
        function (input) { return input.value.trim() !== ""; });
      if (filled) readings += 1;
    });
    var repayments = 0;
    sheet.querySelectorAll("tr[data-loan]").forEach(function (row) {
      var filled = Array.prototype.some.call(row.querySelectorAll("input[data-due]"),
        function (input) { return input.value.trim() !== "" && input.value.trim() !== "0"; });
      if (filled) repayments += 1;
    });
    var d = sheet.dataset;
    summary.textContent = marked + " " + d.textMarked + " · " + (groups.length - marked) + " " + d.textLeft +
      " · " + readings + " " + d.textReadings + " · " + repayments + " " + d.textRepayments;
    summary.classList.toggle("text-danger", marked < groups.length);
    if (leftOnly && leftOnly.checked) filterRows();
  }
  sheet.addEventListener("change", update);
  sheet.addEventListener("input", update);
  update();

  var errors = document.getElementById("error-summary");
  if (errors) errors.focus();
})();
