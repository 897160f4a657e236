// Meeting day sheet: one button marks everyone not yet marked as present (the usual case),
// so staff only tap the absentees. Without JavaScript the button stays hidden.
(function () {
  var button = document.getElementById("all-present");
  if (!button) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    document.querySelectorAll("[role=radiogroup]").forEach(function (group) {
      if (!group.querySelector("input:checked")) {
        group.querySelector("input[value=present]").checked = true;
      }
    });
  });
})();
