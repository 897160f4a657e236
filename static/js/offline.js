// The meeting day without signal (README "Without signal"). Uses Dexie (static/vendor/dexie) over the
// browser's IndexedDB, which keeps its data when the phone restarts:
// - "Chuẩn bị cho buổi sinh hoạt" fetches what the user's clubs' coming meetings need and keeps the
//   pages of those meetings in the service worker's cache;
// - with no signal, "Lưu buổi sinh hoạt" on the meeting day keeps the sheet on the phone, under an id
//   made here, and the panel lists what waits: "Chưa đồng bộ: N buổi sinh hoạt";
// - with signal (at once, when the signal comes back, or by "Đồng bộ ngay") each meeting is sent to the
//   server, which records it once whatever the number of tries; refusals come back per line.
// Logging out deletes the database (static/js/offline_start.js, and the server's Clear-Site-Data).
(function () {
  var panel = document.querySelector("[data-offline-panel]");
  if (!panel || !window.Dexie || !window.indexedDB) return;
  var text = panel.dataset;
  var db = new window.Dexie("clb-offline");
  db.version(1).stores({ meetings: "id, club, date, saved_at", prepared: "club", meta: "key" });

  var sheet = document.getElementById("meeting-sheet");
  var pendingBox = panel.querySelector("[data-offline-pending]");
  var countLine = panel.querySelector("[data-offline-count]");
  var list = panel.querySelector("[data-offline-list]");
  var message = panel.querySelector("[data-offline-message]");
  var preparedLine = panel.querySelector("[data-offline-prepared]");
  var prepareButton = panel.querySelector("[data-offline-prepare]");
  var syncButton = panel.querySelector("[data-offline-sync]");
  var editing = null; // the id of the stored meeting loaded into the sheet to be fixed
  var syncing = false;
  panel.hidden = false;

  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_all, key) {
      return values[key] === undefined ? "" : String(values[key]);
    });
  }
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function isoToday() {
    var d = new Date();
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }
  function shortDate(iso) {
    var p = String(iso).split("-");
    return p.length === 3 ? p[2] + "/" + p[1] + "/" + p[0] : iso;
  }
  function dateTime(value) {
    var d = new Date(value);
    return pad(d.getHours()) + ":" + pad(d.getMinutes()) + " " + pad(d.getDate()) + "/" + pad(d.getMonth() + 1) + "/" + d.getFullYear();
  }
  function say(words, kind, link) {
    message.textContent = words;
    message.className = "small mb-0" + (kind ? " text-" + kind : "");
    if (link) {
      message.appendChild(document.createTextNode(" "));
      var a = document.createElement("a");
      a.href = link.href;
      a.textContent = link.label;
      message.appendChild(a);
    }
  }
  function newId() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    var bytes = window.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }
  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }
  function loginLink() {
    return { href: text.loginUrl + "?next=" + encodeURIComponent(window.location.pathname), label: text.loginLink };
  }

  // --- What waits on the phone ---------------------------------------------------------------------
  function render() {
    return db.meetings.orderBy("saved_at").toArray().then(function (meetings) {
      window.localStorage.setItem("clb-offline-pending", String(meetings.length));
      pendingBox.hidden = meetings.length === 0;
      countLine.textContent = fill(text.textPending, { n: meetings.length });
      list.replaceChildren();
      meetings.forEach(function (meeting) {
        var item = document.createElement("li");
        item.className = "list-group-item" + (meeting.errors ? " list-group-item-danger" : "");
        item.setAttribute("data-offline-entry", meeting.id);
        var line = document.createElement("div");
        line.textContent = fill(text.textEntry, {
          club: meeting.club_name,
          date: shortDate(meeting.date),
          present: meeting.counts.present,
          readings: meeting.counts.readings,
          repayments: meeting.counts.repayments,
        });
        item.appendChild(line);
        if (meeting.errors) {
          var head = document.createElement("div");
          head.className = "fw-semibold mt-1";
          head.textContent = text.textRefused;
          item.appendChild(head);
          var errors = document.createElement("ul");
          errors.className = "mb-1";
          meeting.errors.forEach(function (error) {
            var li = document.createElement("li");
            li.textContent = error.line + ": " + error.message;
            errors.appendChild(li);
          });
          item.appendChild(errors);
        }
        var tools = document.createElement("div");
        tools.className = "d-flex gap-2 mt-1";
        var edit = document.createElement("a");
        edit.className = "btn btn-outline-primary btn-sm";
        edit.href = text.meetingUrl.replace("/0/", "/" + meeting.club + "/") + "#offline-" + meeting.id;
        edit.textContent = text.textEdit;
        tools.appendChild(edit);
        var drop = document.createElement("button");
        drop.type = "button";
        drop.className = "btn btn-outline-secondary btn-sm";
        drop.textContent = text.textDrop;
        drop.addEventListener("click", function () {
          if (window.confirm(text.textDropConfirm)) db.meetings.delete(meeting.id).then(render);
        });
        tools.appendChild(drop);
        item.appendChild(tools);
        list.appendChild(item);
      });
      return meetings;
    });
  }

  function showPrepared() {
    if (!preparedLine) return Promise.resolve();
    return Promise.all([db.meta.get("prepared"), db.prepared.toArray()]).then(function (found) {
      var meta = found[0];
      var clubs = found[1];
      var members = clubs.reduce(function (sum, club) { return sum + club.members.length; }, 0);
      preparedLine.textContent = meta
        ? fill(text.textPrepared, { time: dateTime(meta.fetched_at), clubs: clubs.length, members: members })
        : text.textNotPrepared;
    });
  }

  // --- "Chuẩn bị cho buổi sinh hoạt" ---------------------------------------------------------------
  function keepPages(urls) {
    if (!window.caches) return Promise.resolve();
    return window.caches.open("clb-pages").then(function (cache) {
      return Promise.all(urls.map(function (url) {
        return fetch(url, { credentials: "same-origin" }).then(function (response) {
          if (response.ok && !response.redirected) return cache.put(url, response);
        }).catch(function () {});
      }));
    });
  }
  function prepare() {
    prepareButton.disabled = true;
    return fetch(text.prepareUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (response.status === 401 || response.status === 403) {
          say(text.textLogin, "danger", loginLink());
          return null;
        }
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (data) {
        if (!data) return null;
        return db.transaction("rw", db.prepared, db.meta, function () {
          db.prepared.clear();
          db.prepared.bulkPut(data.clubs);
          db.meta.put({ key: "prepared", fetched_at: data.fetched_at, day: data.day });
        }).then(function () { return keepPages(data.pages); });
      })
      .then(showPrepared)
      .catch(function () { say(text.textFailed, "danger"); })
      .then(function () { prepareButton.disabled = false; });
  }
  if (prepareButton) prepareButton.addEventListener("click", prepare);

  // --- Sending what waits --------------------------------------------------------------------------
  function sendOne(meeting) {
    return fetch(text.syncUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify({ id: meeting.id, club: meeting.club, date: meeting.date, fields: meeting.fields }),
    }).then(function (response) {
      var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
      if (response.status === 401 || (response.status === 403 && !json)) return { stop: "login" };
      return (json ? response.json() : Promise.resolve({ status: "error" })).then(function (answer) {
        if (answer.status === "saved") {
          return db.meetings.delete(meeting.id).then(function () { return { saved: answer }; });
        }
        var errors = answer.errors || [{ line: meeting.club_name, message: answer.message || String(response.status) }];
        return db.meetings.update(meeting.id, { errors: errors }).then(function () { return { refused: true }; });
      });
    });
  }
  function syncAll() {
    if (syncing) return Promise.resolve();
    if (!navigator.onLine) {
      say(text.textOffline, "muted");
      return Promise.resolve();
    }
    syncing = true;
    if (syncButton) syncButton.disabled = true;
    var saved = [];
    return db.meetings.orderBy("saved_at").toArray().then(function (meetings) {
      var chain = Promise.resolve(null);
      meetings.forEach(function (meeting) {
        chain = chain.then(function (previous) {
          if (previous && previous.stop) return previous;
          return sendOne(meeting).then(function (result) {
            if (result.saved) saved.push(result.saved);
            return result;
          });
        });
      });
      return chain;
    }).then(function (last) {
      if (last && last.stop === "login") {
        say(text.textLogin, "danger", loginLink());
      } else if (saved.length) {
        var lastSaved = saved[saved.length - 1];
        say(text.textSynced + " " + saved.map(function (s) { return s.message; }).join(" "), "success",
          { href: lastSaved.summary_url, label: text.textSummary });
      }
    }).catch(function () {
      say(text.textOffline, "muted");
    }).then(function () {
      syncing = false;
      if (syncButton) syncButton.disabled = false;
      return render();
    });
  }
  if (syncButton) syncButton.addEventListener("click", syncAll);
  window.addEventListener("online", syncAll);

  // --- The meeting day sheet kept on the phone -----------------------------------------------------
  function sheetFields() {
    var fields = {};
    new FormData(sheet).forEach(function (value, name) {
      if (name === "csrfmiddlewaretoken") return;
      if (name in fields) fields[name] = [].concat(fields[name], value);
      else fields[name] = value;
    });
    return fields;
  }
  function sheetCounts() {
    var present = sheet.querySelectorAll("[role=radiogroup] input:checked:not([value=absent])").length;
    var readings = 0;
    sheet.querySelectorAll("tr[data-sheet-row]:not([data-loan])").forEach(function (row) {
      var filled = Array.prototype.some.call(row.querySelectorAll("input:not([type=hidden]):not([type=radio])"),
        function (input) { return input.value.trim() !== ""; });
      if (filled) readings += 1;
    });
    var repayments = 0;
    sheet.querySelectorAll("tr[data-loan]").forEach(function (row) {
      var filled = Array.prototype.some.call(row.querySelectorAll("input[data-due]"),
        function (input) { return input.value.replace(/[.\s0]/g, "") !== ""; });
      if (filled) repayments += 1;
    });
    return { present: present, readings: readings, repayments: repayments };
  }
  function sheetDay() {
    // The date box of the page (dd/mm/yyyy or yyyy-mm-dd); the sheet's own day if it cannot be read.
    var box = document.getElementById("id_date");
    var value = box ? box.value.trim() : "";
    var m = value.match(/^(\d{1,2})\/(\d{1,2})\/(\d{4})$/);
    if (m) return m[3] + "-" + pad(parseInt(m[2], 10)) + "-" + pad(parseInt(m[1], 10));
    if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
    return sheet.dataset.day;
  }
  function keepSheet() {
    var id = editing || newId();
    var meeting = {
      id: id,
      club: parseInt(sheet.dataset.club, 10),
      club_name: sheet.dataset.clubName,
      date: sheetDay(),
      fields: sheetFields(),
      counts: sheetCounts(),
      saved_at: new Date().toISOString(),
    };
    return db.meetings.put(meeting).then(function () {
      editing = null;
      say(fill(text.textSaved, { date: shortDate(meeting.date) }), "success");
      return render();
    }).then(function () {
      panel.scrollIntoView({ block: "start" });
      if (navigator.onLine) return syncAll();
    });
  }
  function loadIntoSheet(meeting) {
    sheet.reset();
    // Member rows are matched by member id, not by their place in the list (it may have changed).
    var rowOf = {};
    sheet.querySelectorAll('input[type=hidden][name$="-member"]').forEach(function (input) {
      rowOf[input.value] = input.name.split("-")[1];
    });
    Object.keys(meeting.fields).forEach(function (stored) {
      var values = [].concat(meeting.fields[stored]);
      var name = stored;
      var row = stored.match(/^m-(\d+)-(\w+)$/);
      if (row) {
        var member = meeting.fields["m-" + row[1] + "-member"];
        if (!(member in rowOf)) return;
        name = "m-" + rowOf[member] + "-" + row[2];
      }
      sheet.querySelectorAll('[name="' + name.replace(/"/g, "") + '"]').forEach(function (field) {
        if (field.type === "radio" || field.type === "checkbox") field.checked = values.indexOf(field.value) !== -1;
        else if (field.type !== "hidden") field.value = values[0];
      });
    });
    var box = document.getElementById("id_date");
    if (box) box.value = shortDate(meeting.date);
    sheet.dispatchEvent(new Event("change", { bubbles: true }));
    editing = meeting.id;
    say(fill(text.textEditing, { date: shortDate(meeting.date) }), "primary");
  }
  if (sheet) {
    sheet.addEventListener("submit", function (event) {
      // With signal the sheet goes to the server as always; without, or when fixing a stored
      // meeting, it is kept on the phone (and sent at once if there is signal).
      if (navigator.onLine && !editing) return;
      event.preventDefault();
      keepSheet();
    });
    var wanted = window.location.hash.match(/^#offline-([0-9a-f-]{36})$/);
    if (wanted) {
      db.meetings.get(wanted[1]).then(function (meeting) {
        if (meeting && meeting.club === parseInt(sheet.dataset.club, 10)) loadIntoSheet(meeting);
      });
    } else if (!navigator.onLine && sheet.dataset.day !== isoToday()) {
      // A page kept on an earlier day, opened at today's meeting.
      var box = document.getElementById("id_date");
      if (box) box.value = shortDate(isoToday());
    }
  }

  render().then(function (meetings) {
    if (meetings.length && navigator.onLine) syncAll();
  });
  showPrepared();
})();
