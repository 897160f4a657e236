// Progress bar of an import job: ask the server every second, reload the page when the job ends.
(function () {
  var box = document.getElementById("job-progress");
  if (!box) return;
  var bar = box.querySelector(".progress-bar");
  var stage = document.getElementById("job-stage");
  function poll() {
    fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (job) {
        bar.style.width = job.progress + "%";
        bar.textContent = job.progress + "%";
        box.querySelector(".progress").setAttribute("aria-valuenow", job.progress);
        stage.textContent = job.status_label + (job.stage ? ": " + job.stage : "");
        if (job.running) { setTimeout(poll, 1000); } else { window.location.reload(); }
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 1000);
})();
