/* Field work that works offline (fieldwork.sync, docs/ARCHITECTURE.md).
   - Registers the service worker (/sw.js), which keeps the field-work pages and
     their files for when there is no connection, and asks it to keep the pages
     named by the status panel's data-cache.
   - A form marked data-offline="visit|survey|training" is saved on the phone
     (IndexedDB) with an id made here, the recorder's signed name (the assistant
     signed in when it was made) and the phone's clock: always when marked
     data-always-offline, else only when there is no connection.
   - What is saved is sent, one record at a time, when the connection returns
     (and on every page that has the status panel); a resend never doubles a
     record. A record the server refuses stays here with its reason until the
     assistant dismisses it.
   - The status panel (#sync-status) shows what waits, the last sync and the
     refusals. */
(function () {
  "use strict";
  var DB_NAME = "gplatform-fieldwork";
  var STORE = "records";
  var LAST_SYNC = "fieldwork-last-sync";
  var USER = "fieldwork-user";
  var panel = null;
  var syncing = false;

  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE, { keyPath: "client_id" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function tx(mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(STORE, mode);
        var result = work(transaction.objectStore(STORE));
        transaction.oncomplete = function () { resolve(result && result.result); };
        transaction.onerror = function () { reject(transaction.error); };
      });
    });
  }

  function all() { return tx("readonly", function (store) { return store.getAll(); }); }
  function put(record) { return tx("readwrite", function (store) { store.put(record); }); }
  function remove(id) { return tx("readwrite", function (store) { store.delete(id); }); }

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" +
      hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function position() {
    return new Promise(function (resolve) {
      if (!navigator.geolocation) return resolve(null);
      navigator.geolocation.getCurrentPosition(
        function (p) { resolve(p.coords); },
        function () { resolve(null); },
        { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
      );
    });
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    var input = document.querySelector('input[name="csrfmiddlewaretoken"]');
    return input ? input.value : "";
  }

  function hold(form, held) {
    form.querySelectorAll("input, select, textarea, button").forEach(function (c) {
      c.disabled = held;
    });
  }

  async function save(form) {
    var fields = [];
    var files = [];
    var data = new FormData(form);
    /* Nothing is typed into the form until this record is saved and the form
       emptied for the next. */
    hold(form, true);
    try {
      await keep(form, data, fields, files);
    } finally {
      hold(form, false);
    }
    show("saved", true);
    await render();
    if (navigator.onLine) sync();
  }

  async function keep(form, data, fields, files) {
    var wantsPosition = data.get("with_position");
    data.forEach(function (value, name) {
      if (name === "csrfmiddlewaretoken" || name === "with_position") return;
      if (value instanceof File) {
        if (value.size) files.push([name, value, value.name]);
      } else {
        fields.push([name, value]);
      }
    });
    if (form.dataset.farmer) fields.push(["farmer", form.dataset.farmer]);
    if (!data.get("kind")) fields.push(["kind", form.dataset.offline]);
    if (wantsPosition) {
      var coords = await position();
      if (coords) {
        fields.push(["latitude", coords.latitude.toFixed(6)]);
        fields.push(["longitude", coords.longitude.toFixed(6)]);
      }
    }
    var record = {
      client_id: uuid(),
      kind: form.dataset.offline,
      fields: fields,
      files: files,
      device_time: new Date().toISOString(),
      status: "waiting",
      reason: "",
    };
    record.fields.push(["client_id", record.client_id]);
    record.fields.push(["device_time", record.device_time]);
    await put(record);
    form.reset();
  }

  async function send(record) {
    var body = new FormData();
    record.fields.forEach(function (pair) { body.append(pair[0], pair[1]); });
    record.files.forEach(function (file) { body.append(file[0], file[1], file[2]); });
    var response = await fetch(panel.dataset.syncUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      redirect: "manual",
      headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
    });
    if (response.type === "opaqueredirect" || response.status === 403) {
      return "signin";
    }
    if (response.status === 200 || response.status === 201) {
      await remove(record.client_id);
      return "sent";
    }
    if (response.status === 422 || response.status === 400) {
      var answer = await response.json();
      record.status = "refused";
      record.reason = answer.reason || String(response.status);
      await put(record);
      return "refused";
    }
    return "later"; /* a 5xx or a throttle: try again later */
  }

  async function sync() {
    if (syncing || !panel || !navigator.onLine) return;
    syncing = true;
    var stopped = "";
    try {
      /* In the order they were made. */
      var records = (await all()).sort(function (a, b) {
        return a.device_time < b.device_time ? -1 : a.device_time > b.device_time ? 1 : 0;
      });
      for (var i = 0; i < records.length; i++) {
        if (records[i].status !== "waiting") continue;
        var outcome = await send(records[i]);
        if (outcome === "signin" || outcome === "later") { stopped = outcome; break; }
      }
      if (!stopped) localStorage.setItem(LAST_SYNC, new Date().toISOString());
    } catch (error) {
      /* No connection after all: the records wait. */
    } finally {
      syncing = false;
      show("signin", stopped === "signin");
      await render();
    }
  }

  function show(name, on) {
    var element = panel && panel.querySelector('[data-sync="' + name + '"]');
    if (element) element.hidden = !on;
  }

  function when(iso) {
    var date = new Date(iso);
    function two(n) { return ("0" + n).slice(-2); }
    return date.getFullYear() + "-" + two(date.getMonth() + 1) + "-" + two(date.getDate()) +
      " " + two(date.getHours()) + ":" + two(date.getMinutes());
  }

  async function render() {
    if (!panel) return;
    var records = await all();
    var waiting = records.filter(function (r) { return r.status === "waiting"; });
    var refused = records.filter(function (r) { return r.status === "refused"; });
    panel.querySelector('[data-sync="waiting"]').textContent = String(waiting.length);
    var last = localStorage.getItem(LAST_SYNC);
    if (last) panel.querySelector('[data-sync="last"]').textContent = when(last);
    show("offline", !navigator.onLine);
    var list = panel.querySelector('[data-sync="list"]');
    var row = panel.querySelector('template[data-sync="row"]');
    list.textContent = "";
    refused.forEach(function (record) {
      var item = row.content.firstElementChild.cloneNode(true);
      item.querySelector('[data-field="what"]').textContent =
        panel.dataset["kind" + record.kind.charAt(0).toUpperCase() + record.kind.slice(1)] || record.kind;
      item.querySelector('[data-field="when"]').textContent = when(record.device_time);
      item.querySelector('[data-field="reason"]').textContent = record.reason;
      item.querySelector('[data-field="dismiss"]').addEventListener("click", async function () {
        await remove(record.client_id);
        await render();
      });
      list.appendChild(item);
    });
    show("errors", refused.length > 0);
    panel.hidden = false;
  }

  function registerWorker() {
    if (!("serviceWorker" in navigator)) return;
    /* Another person signed in on this phone: forget the pages kept for the
       last one (their records stay, and are sent under their own name). */
    var user = panel.dataset.user;
    var before = localStorage.getItem(USER);
    localStorage.setItem(USER, user);
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      var worker = registration.active;
      if (!worker) return;
      if (before && before !== user) worker.postMessage({ type: "forget" });
      if (!navigator.onLine) return;
      var urls = panel.dataset.cache.split(" ").concat([location.pathname]);
      document.querySelectorAll('script[src], link[rel="stylesheet"]').forEach(function (el) {
        urls.push(el.getAttribute("src") || el.getAttribute("href"));
      });
      worker.postMessage({ type: "keep", urls: urls });
    }).catch(function () { /* no worker: the pages still work online */ });
  }

  /* Signing out: the pages kept for this person are forgotten at once (the
     records made offline stay, and go under their own name). */
  function forgetOnSignOut(event) {
    var form = event.target;
    if (!form.matches || !form.matches('form[action$="/accounts/logout/"]')) return;
    var worker = navigator.serviceWorker && navigator.serviceWorker.controller;
    if (worker) worker.postMessage({ type: "forget" });
    localStorage.removeItem(USER);
  }

  document.addEventListener("submit", forgetOnSignOut);

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-offline]")) return;
    if (!("indexedDB" in window)) return;
    if (navigator.onLine && !form.hasAttribute("data-always-offline")) return;
    event.preventDefault();
    save(form);
  });

  document.addEventListener("DOMContentLoaded", function () {
    panel = document.getElementById("sync-status");
    if (!panel || !("indexedDB" in window)) return;
    registerWorker();
    render().then(sync);
    window.addEventListener("online", function () { render().then(sync); });
    window.addEventListener("offline", render);
  });
})();
