// Long lists of clubs and communes (<select data-search>): a search box above the list keeps only the
// options whose text matches what is typed, without diacritics ("na coc" finds "Nà Cóc", "dong" finds
// "Đông"). The list holds only the user's area (the server scopes it); this only narrows it.
(function () {
  function key(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D")
      .toLowerCase().replace(/\s+/g, " ").trim();
  }
  var english = document.documentElement.lang === "en";
  document.querySelectorAll("select[data-search]").forEach(function (select, index) {
    if (select.multiple || select.options.length < 8) return;
    var all = Array.prototype.map.call(select.options, function (option) {
      return { option: option, key: key(option.text) };
    });
    var box = document.createElement("input");
    box.type = "search";
    box.id = (select.id || "select-" + index) + "-search";
    box.className = "form-control form-control-sm mb-1 select-search";
    box.autocomplete = "off";
    box.placeholder = english ? "Type to search the list…" : "Gõ để tìm trong danh sách…";
    // Not named after the list's own label, so that the label still names one field only.
    box.setAttribute("aria-label", english ? "Search the list below" : "Tìm trong danh sách dưới đây");
    box.setAttribute("aria-controls", select.id);
    var count = document.createElement("div");
    count.className = "form-text select-search-count";
    count.setAttribute("aria-live", "polite");
    box.addEventListener("input", function () {
      var words = key(box.value).split(" ").filter(Boolean);
      var shown = 0;
      // Options are taken out and put back (hidden options are still shown by some phone browsers);
      // the empty choice and the chosen one always stay.
      select.textContent = "";
      all.forEach(function (item) {
        var keep = !item.option.value || item.option.selected || words.every(function (w) {
          return item.key.indexOf(w) !== -1;
        });
        if (keep) {
          select.appendChild(item.option);
          if (item.option.value) shown += 1;
        }
      });
      count.textContent = words.length ? (english ? shown + " found" : "Tìm thấy " + shown) : "";
    });
    // Enter in the box picks the first match instead of sending the form.
    box.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") return;
      event.preventDefault();
      var first = Array.prototype.find.call(select.options, function (o) { return o.value && !o.disabled; });
      if (first) {
        select.value = first.value;
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
    select.parentNode.insertBefore(box, select);
    select.parentNode.insertBefore(count, select.nextSibling);
  });
})();
