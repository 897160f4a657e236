// Collection sheet: <button type="button" data-fill-due hidden> fills each empty box of its form with
// what is due (the box's data-due, in đồng), written 1.234.567; the treasurer then corrects the lines
// that differ. Without JavaScript the button stays hidden.
document.querySelectorAll("[data-fill-due]").forEach(function (button) {
  button.hidden = false;
});
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest("[data-fill-due]");
  if (!button) return;
  button.form.querySelectorAll("input[data-due]").forEach(function (input) {
    var due = parseInt(input.getAttribute("data-due"), 10);
    if (!input.value && due > 0) {
      input.value = due.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ".");
    }
  });
});
