// The progress bar of a background job (templates jobs/show_job.html): reads the job
// from the JSON API every second until it is done or failed. No inline script (CSP).
(function () {
  "use strict";
  var section = document.getElementById("job-progress");
  if (!section) {
    return;
  }
  var bar = section.querySelector(".progress-bar");
  var track = section.querySelector(".progress");
  var statusText = section.querySelector("[data-field=status]");
  var steps = section.querySelector("[data-field=steps]");
  var errorBox = section.querySelector("[data-field=error]");
  var doneBox = section.querySelector("[data-field=done]");
  var live = section.querySelector("[data-field=live]");
  var INTERVAL_MS = 1000;
  var failures = 0;

  function label(status) {
    return section.getAttribute("data-label-" + status) || status;
  }

  function setPercent(percent) {
    if (percent === null || percent === undefined || percent === "") {
      bar.style.width = "";
      return;
    }
    track.classList.remove("progress-indeterminate");
    bar.style.width = percent + "%";
    bar.setAttribute("aria-valuenow", String(percent));
  }

  function show(job) {
    section.setAttribute("data-status", job.status);
    statusText.textContent = label(job.status);
    if (job.total !== null) {
      steps.textContent = section.getAttribute("data-label-steps")
        .replace("{done}", String(job.done))
        .replace("{total}", String(job.total));
    }
    setPercent(job.percent);
    if (job.status === "failed") {
      track.classList.remove("progress-indeterminate");
      errorBox.textContent = job.error;
      errorBox.classList.remove("d-none");
    }
    if (job.status === "done") {
      doneBox.classList.remove("d-none");
    }
    if (job.status === "done" || job.status === "failed") {
      live.textContent = label(job.status);
    }
  }

  function poll() {
    fetch(section.getAttribute("data-api-url"), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (job) {
        failures = 0;
        show(job);
        if (job.status === "queued" || job.status === "running") {
          window.setTimeout(poll, INTERVAL_MS);
        }
      })
      .catch(function () {
        failures += 1;
        if (failures < 5) {
          window.setTimeout(poll, INTERVAL_MS * failures);
        } else {
          live.textContent = section.getAttribute("data-label-unreachable");
          statusText.textContent = section.getAttribute("data-label-unreachable");
        }
      });
  }

  setPercent(section.getAttribute("data-percent"));
  var initial = section.getAttribute("data-status");
  if (initial === "queued" || initial === "running") {
    window.setTimeout(poll, INTERVAL_MS);
  }
})();
