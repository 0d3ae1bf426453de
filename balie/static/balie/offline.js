// The offline desk (issue 16, docs/adr/0016-offline-desk.md). Visits are kept in IndexedDB on this device, each with
// its own Idempotency-Key and the exact request body, and sent to POST /api/v1/registraties when there is a network.
// Exactly once: a visit is deleted from the device only after Balie answered 200/201 for its key; a repeat of the same
// key and body (a sync cut off halfway, a reload, a second tab) returns the visit Balie already has. Only one tab
// sends at a time (Web Locks), and a double tap saves one visit (the form's key is the record's key).
(function () {
  "use strict";
  var dataNode = document.getElementById("offline-data");
  var form = document.getElementById("offline-form");
  if (!dataNode || !form) return;
  var DATA = JSON.parse(dataNode.textContent);
  var T = document.getElementById("offline-texts").dataset;
  var KINDS = JSON.parse(T.kinds);
  var DB_NAME = "balie-offline", STORE = "visits", LOCK = "balie-offline-sync";
  var $ = function (id) { return document.getElementById(id); };
  var channel = "BroadcastChannel" in window ? new BroadcastChannel("balie-offline") : null;
  var editing = null; // the record being fixed, or null
  var formKey = newKey();
  var saving = false;

  function fmt(text, value) { return text.replace("%s", value); }
  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    return Array.prototype.map.call(b, function (x) { return ("0" + x.toString(16)).slice(-2); }).join("");
  }

  // --- IndexedDB -------------------------------------------------------------------------------------------------
  var dbPromise = null;
  function db() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var req = indexedDB.open(DB_NAME, 1);
        req.onupgradeneeded = function () { req.result.createObjectStore(STORE, { keyPath: "id" }); };
        req.onsuccess = function () {
          req.result.onversionchange = function () { req.result.close(); dbPromise = null; };
          resolve(req.result);
        };
        req.onerror = function () { reject(req.error); };
      });
    }
    return dbPromise;
  }
  function run(mode, fn) {
    return db().then(function (conn) {
      return new Promise(function (resolve, reject) {
        var tx = conn.transaction(STORE, mode), result;
        tx.oncomplete = function () { resolve(result); };
        tx.onerror = tx.onabort = function () { reject(tx.error); };
        var req = fn(tx.objectStore(STORE));
        if (req) req.onsuccess = function () { result = req.result; };
      });
    });
  }
  function allVisits() {
    return run("readonly", function (s) { return s.getAll(); }).then(function (items) {
      return (items || []).sort(function (a, b) { return a.made_at < b.made_at ? -1 : a.made_at > b.made_at ? 1 : 0; });
    });
  }
  function getVisit(id) { return run("readonly", function (s) { return s.get(id); }); }
  function putVisit(item) { return run("readwrite", function (s) { return s.put(item); }).then(changed); }
  function deleteVisit(id) { return run("readwrite", function (s) { return s.delete(id); }).then(changed); }
  function changed() { if (channel) channel.postMessage("changed"); return render(); }
  if (channel) channel.onmessage = function () { render(); };

  // --- the form --------------------------------------------------------------------------------------------------
  function option(select, value, label) {
    var o = document.createElement("option");
    o.value = value; o.textContent = label;
    select.appendChild(o);
  }
  function fillSelect(select, entries, emptyLabel) {
    select.textContent = "";
    option(select, "", emptyLabel);
    entries.forEach(function (e) { option(select, e[0], e[1]); });
  }
  function buildForm() {
    var loc = $("off-locatie");
    DATA.locations.forEach(function (l) { option(loc, l.code, l.naam); });
    var remembered = localStorage.getItem("balie-offline-location");
    loc.value = DATA.locations.some(function (l) { return l.code === remembered; }) ? remembered : DATA.location;
    fillSelect($("off-instantie"), DATA.lists.instantie, T.choose);
    fillSelect($("off-onderwerp"), DATA.lists.onderwerp, T.choose);
    fillSelect($("off-kanaal"), DATA.lists.kanaal, T.defaultKanaal);
    var box = $("off-uitkomst");
    DATA.lists.uitkomst.forEach(function (e, i) {
      var label = document.createElement("label"), input = document.createElement("input");
      input.type = "radio"; input.name = "uitkomst"; input.value = e[0]; input.id = "off-uitkomst-" + i;
      label.htmlFor = input.id;
      label.appendChild(input);
      label.appendChild(document.createTextNode(e[1]));
      box.appendChild(label);
    });
    loc.addEventListener("change", function () { localStorage.setItem("balie-offline-location", loc.value); buildFavourites(); });
    buildFavourites();
    form.hidden = false;
  }
  function buildFavourites() {
    var list = $("off-favourites"), loc = DATA.locations.find(function (l) { return l.code === $("off-locatie").value; });
    list.textContent = "";
    (loc ? loc.favourites : []).forEach(function (fav) {
      var li = document.createElement("li"), button = document.createElement("button");
      button.type = "button"; button.className = "chip"; button.textContent = fav.label;
      button.setAttribute("aria-pressed", "false");
      button.addEventListener("click", function () {
        $("off-instantie").value = fav.instantie;
        $("off-onderwerp").value = fav.onderwerp;
        list.querySelectorAll(".chip").forEach(function (c) { c.setAttribute("aria-pressed", c === button ? "true" : "false"); });
        var outcome = form.querySelector("input[name=uitkomst]:checked") || form.querySelector("input[name=uitkomst]");
        if (outcome) outcome.focus();
      });
      li.appendChild(button);
      list.appendChild(li);
    });
  }
  function labelOf(list, code) {
    var hit = DATA.lists[list].find(function (e) { return e[0] === code; });
    return hit ? hit[1].split(" (")[0] : code;
  }

  // The live check while typing: what will be left out, shown before anything is stored.
  function showFindings() {
    var box = $("off-pii"), text = $("off-notitie").value;
    box.textContent = "";
    if (!text) return;
    var findings = window.BaliePii.scan(text);
    if (!findings.length) return;
    var p = document.createElement("p"), ul = document.createElement("ul");
    p.textContent = T.found;
    findings.forEach(function (f) {
      var li = document.createElement("li"), mark = document.createElement("mark");
      mark.textContent = f.text;
      li.appendChild(document.createTextNode((KINDS[f.kind] || f.kind) + ": "));
      li.appendChild(mark);
      ul.appendChild(li);
    });
    box.appendChild(p); box.appendChild(ul);
  }
  $("off-notitie").addEventListener("input", showFindings);

  function setError(name, message) {
    var p = $("off-" + name + "-error"), field = name === "uitkomst" ? null : $("off-" + name);
    p.textContent = message || ""; p.hidden = !message;
    if (field) { if (message) field.setAttribute("aria-invalid", "true"); else field.removeAttribute("aria-invalid"); }
  }

  // Local date and time in Balie's time zone (not the device's), as the API reads them: the moment of registering.
  function localParts(date) {
    var parts = {};
    new Intl.DateTimeFormat("en-GB", {
      timeZone: DATA.timezone, year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23",
    }).formatToParts(date).forEach(function (p) { parts[p.type] = p.value; });
    return { datum: parts.year + "-" + parts.month + "-" + parts.day, tijd: parts.hour + ":" + parts.minute + ":" + parts.second };
  }

  function save(event) {
    event.preventDefault();
    if (saving) return; // a double tap: the first one is still being stored
    var values = {
      locatie: $("off-locatie").value, instantie: $("off-instantie").value, onderwerp: $("off-onderwerp").value,
      uitkomst: (form.querySelector("input[name=uitkomst]:checked") || {}).value || "", kanaal: $("off-kanaal").value,
    };
    var missing = false;
    ["instantie", "onderwerp", "uitkomst"].forEach(function (name) {
      var message = values[name] ? "" : T["need" + name[0].toUpperCase() + name.slice(1)];
      setError(name, message);
      if (message && !missing) { missing = true; (name === "uitkomst" ? form.querySelector("input[name=uitkomst]") : $("off-" + name)).focus(); }
    });
    if (missing) return;
    saving = true;
    $("off-save").disabled = true;
    // The note is redacted here, before it is stored: the device never holds what was typed.
    var scrubbed = window.BaliePii.scrub($("off-notitie").value.slice(0, DATA.max_note));
    var madeAt = editing ? new Date(editing.made_at) : new Date();
    var moment = localParts(madeAt);
    var body = { locatie: values.locatie, datum: moment.datum, tijd: moment.tijd, instantie: values.instantie, onderwerp: values.onderwerp, uitkomst: values.uitkomst };
    if (values.kanaal) body.kanaal = values.kanaal;
    if (scrubbed.text) body.notitie = scrubbed.text;
    var item = {
      id: editing ? editing.id : formKey,
      // A changed body needs a new key: Balie refuses one key with two bodies. The old body was refused, so nothing
      // was stored under the old key.
      key: newKey(),
      user: DATA.user,
      made_at: madeAt.toISOString(),
      status: "wacht",
      errors: [],
      body: body,
      labels: labelOf("instantie", values.instantie) + " · " + labelOf("onderwerp", values.onderwerp) + " (" + labelOf("uitkomst", values.uitkomst).toLowerCase() + ")",
    };
    var kinds = scrubbed.findings.map(function (f) { return KINDS[f.kind] || f.kind; });
    putVisit(item).then(function () {
      var message = fmt(T.saved, item.labels);
      if (kinds.length) message += " " + fmt(T.redacted, Array.from(new Set(kinds)).join(", "));
      resetForm();
      $("off-saved").textContent = message;
      sync();
    }, function () {
      $("off-saved").textContent = T.noStorage;
    }).then(function () { saving = false; $("off-save").disabled = false; });
  }
  form.addEventListener("submit", save);

  function resetForm() {
    $("off-instantie").value = ""; $("off-onderwerp").value = ""; $("off-kanaal").value = ""; $("off-notitie").value = "";
    form.querySelectorAll("input[name=uitkomst]").forEach(function (r) { r.checked = false; });
    form.querySelectorAll(".chip").forEach(function (c) { c.setAttribute("aria-pressed", "false"); });
    $("off-pii").textContent = "";
    editing = null;
    formKey = newKey();
    $("off-cancel").hidden = true;
  }
  $("off-cancel").addEventListener("click", function () { resetForm(); $("off-saved").textContent = ""; });

  function edit(item) {
    editing = item;
    var b = item.body;
    if (DATA.locations.some(function (l) { return l.code === b.locatie; })) $("off-locatie").value = b.locatie;
    buildFavourites();
    $("off-instantie").value = b.instantie; $("off-onderwerp").value = b.onderwerp; $("off-kanaal").value = b.kanaal || "";
    $("off-notitie").value = b.notitie || "";
    form.querySelectorAll("input[name=uitkomst]").forEach(function (r) { r.checked = r.value === b.uitkomst; });
    $("off-cancel").hidden = false;
    $("off-saved").textContent = T.editing;
    showFindings();
    $("off-instantie").focus();
  }

  // --- the list of what is on this device --------------------------------------------------------------------------
  function when(item) {
    return new Date(item.made_at).toLocaleString("nl-NL", { timeZone: DATA.timezone, day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
  }
  function button(text, handler) {
    var b = document.createElement("button");
    b.type = "button"; b.className = "btn btn--secondary"; b.textContent = text;
    b.addEventListener("click", handler);
    return b;
  }
  function render() {
    return allVisits().then(function (items) {
      var waiting = items.length;
      $("off-count").textContent = waiting ? fmt(T.count, waiting) : T.nothing;
      $("off-count").dataset.count = String(waiting);
      var list = $("off-queue");
      list.textContent = "";
      items.forEach(function (item) {
        var li = document.createElement("li"), head = document.createElement("p"), status = document.createElement("p");
        li.dataset.status = item.status; li.dataset.id = item.id;
        head.className = "offline-when u-m0";
        head.textContent = when(item) + " — " + item.labels + (item.body.notitie ? ", " + T.withNote : "");
        li.appendChild(head);
        status.className = "u-m0";
        if (item.user !== DATA.user) status.textContent = T.otherUser;
        else status.textContent = item.status === "fout" ? T.rejected : T.waiting;
        li.appendChild(status);
        if (item.status === "fout") {
          var errors = document.createElement("ul");
          errors.className = "offline-errors";
          item.errors.forEach(function (e) { var x = document.createElement("li"); x.textContent = e; errors.appendChild(x); });
          li.appendChild(errors);
          var actions = document.createElement("div");
          actions.className = "actions";
          actions.appendChild(button(T.edit, function () { edit(item); }));
          actions.appendChild(button(T.retry, function () {
            item.status = "wacht"; item.errors = [];
            putVisit(item).then(sync);
          }));
          actions.appendChild(button(T["delete"], function () {
            deleteVisit(item.id).then(function () { $("off-sync-status").textContent = T.deleted; });
          }));
          li.appendChild(actions);
        }
        list.appendChild(li);
      });
      return items;
    });
  }

  // --- sending -----------------------------------------------------------------------------------------------------
  function setNet() {
    var node = $("off-net"), online = navigator.onLine;
    node.dataset.state = online ? "online" : "offline";
    node.textContent = online ? T.online : T.offline;
  }
  function status(text, withLogin) {
    var node = $("off-sync-status");
    node.textContent = text;
    if (withLogin) {
      var a = document.createElement("a");
      a.href = DATA.login + "?next=" + encodeURIComponent(DATA.scope);
      a.textContent = T.login;
      node.appendChild(document.createTextNode(" "));
      node.appendChild(a);
    }
  }
  function problemMessages(problem) {
    var messages = ((problem && problem.invalid_params) || []).map(function (p) { return p.reason; });
    if (!messages.length && problem && problem.detail) messages.push(problem.detail);
    return messages;
  }
  function withLock(fn) {
    if (navigator.locks && navigator.locks.request) {
      return navigator.locks.request(LOCK, { ifAvailable: true }, function (lock) { return lock ? fn() : null; });
    }
    return fn();
  }

  var syncing = false;
  function sync() {
    if (syncing || !navigator.onLine) return Promise.resolve();
    syncing = true;
    return withLock(sendAll).catch(function () {
      status(T.interrupted);
    }).then(function () { syncing = false; return render(); });
  }

  function sendAll() {
    return allVisits().then(function (items) {
      var mine = items.filter(function (i) { return i.status === "wacht" && i.user === DATA.user; });
      if (!mine.length) return null;
      status(T.sending);
      return fetch(DATA.session, { credentials: "same-origin", redirect: "manual", cache: "no-store", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (response.type === "opaqueredirect" || response.status === 401 || response.status === 403) { status(T.session, true); return null; }
          if (!response.ok) throw new Error("session " + response.status);
          return response.json().then(function (session) {
            if (session.user !== DATA.user) { status(T.session, true); return null; }
            return sendEach(mine, session, 0, 0);
          });
        });
    });
  }

  function sendEach(items, session, index, sent) {
    if (index >= items.length) {
      status(sent ? fmt(T.sent, sent) : "");
      return null;
    }
    return getVisit(items[index].id).then(function (item) {
      // Another tab may have sent, changed or deleted it meanwhile.
      if (!item || item.status !== "wacht" || item.key !== items[index].key) return sendEach(items, session, index + 1, sent);
      return fetch(DATA.api, {
        method: "POST", credentials: "same-origin", redirect: "manual", cache: "no-store",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": session.csrf, "Idempotency-Key": item.key },
        body: JSON.stringify(item.body),
      }).then(function (response) {
        if (response.status === 200 || response.status === 201) {
          // Balie has it (201 new, 200 a repeat of the same key): nothing of it stays on the device.
          return deleteVisit(item.id).then(function () { return sendEach(items, session, index + 1, sent + 1); });
        }
        if (response.status === 400 || response.status === 422) {
          return response.json().catch(function () { return null; }).then(function (problem) {
            item.status = "fout";
            item.errors = problemMessages(problem);
            return putVisit(item).then(function () { return sendEach(items, session, index + 1, sent); });
          });
        }
        if (response.type === "opaqueredirect" || response.status === 401 || response.status === 403) {
          status(T.session, true);
          return null;
        }
        throw new Error("api " + response.status); // 429, 5xx: try again later, nothing changes on the device
      });
    });
  }

  // --- start -------------------------------------------------------------------------------------------------------
  function clearDevice() {
    var steps = [new Promise(function (resolve) {
      db().then(function (conn) { conn.close(); }).catch(function () {}).then(function () {
        dbPromise = null;
        var req = indexedDB.deleteDatabase(DB_NAME);
        // "blocked": a connection in another tab or a sync still open; the delete then finishes as soon as it closes
        // (at the latest when this page navigates away), so wait for that a little before logging out.
        req.onsuccess = req.onerror = function () { resolve(); };
        req.onblocked = function () { setTimeout(resolve, 2000); };
      });
    })];
    if (window.caches) steps.push(caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (k) { return k.indexOf("balie-offline-") === 0; }).map(function (k) { return caches.delete(k); }));
    }));
    if (navigator.serviceWorker) steps.push(navigator.serviceWorker.getRegistrations().then(function (regs) {
      return Promise.all(regs.map(function (r) { return r.unregister(); }));
    }));
    localStorage.removeItem("balie-offline-location");
    return Promise.all(steps).catch(function () {});
  }
  // Logging out wipes the device (the server also sends Clear-Site-Data); this covers browsers that ignore it.
  document.querySelectorAll("form[action]").forEach(function (f) {
    if (new URL(f.action, location.href).pathname !== "/uitloggen/") return;
    f.addEventListener("submit", function (e) {
      if (f.dataset.cleared) return;
      e.preventDefault();
      clearDevice().then(function () { f.dataset.cleared = "1"; f.submit(); });
    });
  });

  function install() {
    if (!("serviceWorker" in navigator)) { $("off-install").textContent = T.notInstallable; return; }
    navigator.serviceWorker.register(DATA.worker, { scope: DATA.scope }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function () {
    }).then(function () {
      $("off-install").textContent = T.installed;
      document.body.dataset.offlineInstalled = "1";
    }).catch(function () { $("off-install").textContent = T.notInstallable; });
  }

  buildForm();
  setNet();
  window.addEventListener("online", function () { setNet(); sync(); });
  window.addEventListener("offline", setNet);
  setInterval(sync, 30000);
  render().then(function () {
    document.body.dataset.offlineReady = "1"; // the page is usable (tests and bench/offline.py wait for this)
    if (window.performance && performance.mark) performance.mark("balie-offline-ready");
    sync();
  }, function () { $("off-saved").textContent = T.noStorage; });
  install();
})();
